//! How to give a fact a refusal says is missing, in the dashboard's terms
//! (the fields of its forms; the command line where it has no form).

use crate::domain::rule::{Missing, Refusal};
use crate::domain::text::Lang;

/// Where on the dashboard the missing fact goes.
pub fn missing(m: Missing, lang: Lang) -> &'static str {
    match m {
        Missing::PartsEta => lang.pick("请填写「预计到货」", "fill in Expected"),
        Missing::OutageReason => lang.pick(
            "先按 P 打印；系统故障时在「未打印原因」写明 系统故障",
            "print it first (P); during an outage write \"system outage\" in Unprinted why",
        ),
        Missing::RepairedBy => lang.pick(
            "送修维修请用 repairdesk ticket repair --by 登记",
            "record a bench repair with repairdesk ticket repair --by",
        ),
        Missing::Charge => lang.pick("请填写「收费」", "fill in Charge"),
        Missing::ReturnedParts => lang.pick(
            "请填写「旧件编码」或「未返还（编码=原因）」",
            "fill in Returned parts or Not returned (CODE=why)",
        ),
        Missing::SpecialCaseForm => lang.pick(
            "用 repairdesk ticket print --form special-case 打印，再用 ticket special-case 登记",
            "print it with repairdesk ticket print --form special-case, then record it with ticket special-case",
        ),
    }
}

/// A refusal as the dashboard shows it: the rule's words, then how to give
/// what is missing here.
pub fn refusal(r: &Refusal, lang: Lang) -> String {
    let mut text = r.render(lang);
    if let Some(m) = r.missing {
        text.push_str(lang.pick("；", "; "));
        text.push_str(missing(m, lang));
    }
    text
}
