//! The domain's named values as the command line accepts them: clap's value
//! parsing comes from each enum's codes (`named_enum!`), so `--help` lists
//! exactly what the domain knows, spelled with `-` (`carry-in`); the code
//! itself (`carry_in`) is accepted too.

use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::domain::ticket::{
    CancelReason, ContactResult, FaultClass, FollowupResult, PhoneFix, Priority, PromiseType,
    RepairResult, ServiceType, VisitResult, Warranty,
};

/// What `--help` adds to a value whose meaning is not plain from its name.
fn hint(code: &str, of: &str) -> Option<&'static str> {
    match (of, code) {
        ("VisitResult", "not_home") => {
            Some("用户不在: a note was left; the next time is the customer's (type customer)")
        }
        _ => None,
    }
}

macro_rules! value_enum {
    ($($t:ident),+ $(,)?) => {$(
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                $t::ALL
            }
            fn to_possible_value(&self) -> Option<PossibleValue> {
                let code = self.code();
                let mut v = PossibleValue::new(code.replace('_', "-"));
                if code.contains('_') {
                    v = v.alias(code);
                }
                if let Some(h) = hint(code, stringify!($t)) {
                    v = v.help(h);
                }
                Some(v)
            }
        }
    )+};
}

value_enum!(
    ServiceType,
    Priority,
    Warranty,
    ContactResult,
    PromiseType,
    PhoneFix,
    VisitResult,
    RepairResult,
    CancelReason,
    FollowupResult,
    FaultClass,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_accepted_with_dashes_or_underscores() {
        for v in VisitResult::ALL {
            let dashed = v.code().replace('_', "-");
            assert_eq!(VisitResult::from_str(&dashed, false), Ok(*v));
            assert_eq!(VisitResult::from_str(v.code(), false), Ok(*v));
        }
        assert_eq!(
            ServiceType::from_str("carry-in", false),
            Ok(ServiceType::CarryIn)
        );
        assert!(ServiceType::from_str("walk-in", false).is_err());
    }
}
