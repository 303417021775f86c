//! Command-line definitions (clap). The help, the completions and the man
//! page are all generated from these.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::domain::ticket::{
    CancelReason, ContactResult, FaultClass, FollowupResult, PhoneFix, Priority, PromiseType,
    RepairResult, ServiceType, VisitResult, Warranty,
};

#[derive(Debug, Parser)]
#[command(
    name = "repairdesk",
    version,
    about = "The repair station's desk: tickets, T1–T4, rules, write-back.",
    long_about = "repairdesk keeps a repair station's tickets from the call centre's dispatch to the \
customer's signature, enforces the process rules (R1–R18, P1–P6) and writes back the T1–T4 time points.\n\
Without a command it opens the coordinator dashboard.",
    after_help = "Examples:\n  repairdesk demo\n  repairdesk ticket list --status queued\n  repairdesk --lang zh ticket show ZD-20261126-0001"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    /// Draw the dashboard's first frame, then exit (scripts/bench.sh times it)
    #[arg(long, hide = true)]
    pub exit_after_first_frame: bool,
    /// Read the dashboard's whole open set, draw it, then exit (scripts/bench.sh measures its memory)
    #[arg(long, hide = true)]
    pub exit_after_load: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct Global {
    /// The SQLite database (created on first use)
    #[arg(
        long,
        global = true,
        env = "REPAIRDESK_DB",
        value_name = "PATH",
        overrides_with = "db"
    )]
    pub db: Option<PathBuf>,
    /// Station settings (TOML); absent = defaults
    #[arg(
        long,
        global = true,
        env = "REPAIRDESK_CONFIG",
        value_name = "PATH",
        overrides_with = "config"
    )]
    pub config: Option<PathBuf>,
    /// Pretend it is this moment (station time), e.g. "2026-11-26 09:30"
    #[arg(
        long,
        global = true,
        env = "REPAIRDESK_NOW",
        value_name = "DATETIME",
        overrides_with = "now"
    )]
    pub now: Option<String>,
    /// Who acts; recorded on every event (on a shared PostgreSQL database: the login's person, the administrator excepted)
    #[arg(
        long = "as",
        global = true,
        env = "REPAIRDESK_USER",
        value_name = "NAME",
        overrides_with = "actor"
    )]
    pub actor: Option<String>,
    /// Interface language: zh or en (default from LC_ALL/LANG)
    #[arg(long, global = true, value_name = "zh|en", overrides_with = "lang")]
    pub lang: Option<String>,
    /// Print one JSON document instead of text
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Fill the database with a realistic demo station, then open the dashboard
    #[command(after_help = "Example:\n  repairdesk demo --tickets 500 --seed 7 --no-tui")]
    Demo(DemoArgs),
    /// Load call-centre dispatch files (CSV or XLSX) — the download (下载)
    #[command(after_help = "Example:\n  repairdesk import 派工单-1126.xlsx dispatch.csv")]
    Import(ImportArgs),
    /// Write files for the call centre
    #[command(subcommand)]
    Export(ExportCmd),
    /// Work on tickets
    Ticket(TicketCmd),
    /// The station's engineers
    Staff(StaffCmd),
    /// Who may do what on a shared PostgreSQL database (logins, roles, stations)
    #[command(
        long_about = "Who may do what on a shared PostgreSQL database. Each person connects as a login of their own (created on the server with `createuser --pwprompt LOGIN`); the actor of every event is then that login's person, whatever --as says. The login that created the database is its administrator: it grants and revokes, and every grant and revoke is recorded (`admin history`). The database itself holds each role's boundaries (grants and row-level security), even for plain psql. A repairdesk file has no logins: admin refuses there (exit 2).",
        after_help = "Examples:\n  repairdesk admin grant li --role coordinator --station BJ-0101 --name 小李\n  repairdesk admin grant wang --role engineer --station BJ-0101 --name 王建国\n  repairdesk admin grant region --role region --name 大区赵\n  repairdesk admin revoke li\n  repairdesk admin list --json"
    )]
    Admin(AdminCmd),
    /// One engineer's day: site visits in arrival-time order (address, phones, fault, parts to bring, previous visit, what to collect), done ones marked, carry-in bench work apart
    #[command(
        after_help = "In the dashboard: [ ] or ←/→ change the day, t today, h/l the engineer.\n\nExample:\n  repairdesk engineer 王工 --date 2026-11-27 --plain"
    )]
    Engineer(EngineerArgs),
    /// Every deadline near or broken now (R1, R2, R8, R14, P1, P2, P4)
    #[command(after_help = "Example:\n  repairdesk alerts --json")]
    Alerts,
    /// Monthly figures and the daily review
    #[command(subcommand)]
    Report(ReportCmd),
    /// A consistent copy of the database while others use it
    #[command(
        long_about = "A consistent copy of the database while others use it, checked and renamed into place only when complete. On a shared station (--db postgres://…) the copy is a repairdesk file holding the whole station (every ticket with its history, the staff list with its history), read in one snapshot of the server; `migrate --to URL` puts it back on an empty server database. The server's own backups are pg_dump's.",
        after_help = "Example:\n  repairdesk backup /mnt/usb/repairdesk-1126.db"
    )]
    Backup {
        /// Where to write the copy
        file: PathBuf,
    },
    /// Copy the station (tickets with their history, staff) into another database
    #[command(
        long_about = "Copy everything the station holds (every ticket with its whole history, the staff list with its history, the station-ticket counters) from --db into another, empty database: a station's SQLite file into a PostgreSQL database, or back into a new file so a station can leave the server. The source is read in one snapshot; the target is written in one transaction and kept only if its counts match the source's. A target that already holds tickets or engineers is refused, unchanged.",
        after_help = "Examples:
  repairdesk --db station.db migrate --to postgres://desk@db.example/repairdesk
  repairdesk --db postgres://desk@db.example/repairdesk migrate --to station.db"
    )]
    Migrate {
        /// The target: a PostgreSQL URL or a SQLite file (created if absent)
        #[arg(long, value_name = "URL|FILE")]
        to: String,
    },
    /// Shell completions
    #[command(
        after_help = "Example:\n  repairdesk completions bash > /etc/bash_completion.d/repairdesk"
    )]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff) on stdout
    #[command(after_help = "Example:\n  repairdesk man > repairdesk.1 && man ./repairdesk.1")]
    Man,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// How many tickets
    #[arg(long, default_value_t = 300)]
    pub tickets: u32,
    /// Random seed: the same seed gives the same station
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Only fill the database; do not open the dashboard
    #[arg(long)]
    pub no_tui: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Dispatch files (.csv or .xlsx)
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Refresh customer and product fields of tickets already present
    #[arg(long)]
    pub update: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExportCmd {
    /// The write-back file (回写) with T1–T4, CSV or XLSX by extension
    #[command(
        after_help = "Example:\n  repairdesk export writeback -o 回写-1126.xlsx --from 2026-11-01"
    )]
    Writeback {
        #[arg(short, long)]
        output: PathBuf,
        /// Tickets last changed on or after this date
        #[arg(long)]
        from: Option<String>,
        /// Tickets last changed on or before this date
        #[arg(long)]
        to: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct EngineerArgs {
    pub name: String,
    /// The day, YYYY-MM-DD (default today)
    #[arg(long, visible_alias = "day")]
    pub date: Option<String>,
    /// Print the day's list instead of opening the dashboard (always, off a terminal)
    #[arg(long)]
    pub plain: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// The month's figures (P6): table, CSV/XLSX by -o extension, or --json
    #[command(after_help = "Example:\n  repairdesk report kpi --month 2026-11 -o kpi-2026-11.xlsx")]
    Kpi {
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// The daily review of unfinished tickets (P3)
    #[command(
        after_help = "Example:\n  repairdesk report unfinished --date 2026-11-26 -o review.csv"
    )]
    Unfinished {
        #[arg(long)]
        date: Option<String>,
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct StaffCmd {
    #[command(subcommand)]
    pub command: StaffSub,
}

#[derive(Debug, Subcommand)]
pub enum StaffSub {
    /// Add an engineer (or update capacity/site)
    #[command(after_help = "Example:\n  repairdesk staff add 王工 --capacity 6 --site 总站")]
    Add {
        name: String,
        /// Visits a day (R17)
        #[arg(long, default_value_t = 6)]
        capacity: u32,
        #[arg(long)]
        site: Option<String>,
    },
    /// List engineers with their open tickets
    #[command(after_help = "Example:\n  repairdesk staff list --json")]
    List,
    /// Remove an engineer from the active list (history stays)
    #[command(after_help = "Example:\n  repairdesk staff remove 王工")]
    Remove { name: String },
    /// Every change of the staff list, oldest first: who, when, before and after
    #[command(
        after_help = "Staff changes are the coordinator's: an engineer (a name on the staff list,\nremoved or not) cannot add, remove or change anyone, and nobody changes\ntheir own entry.\n\nExample:\n  repairdesk staff history 王工"
    )]
    History {
        /// Only this engineer's changes
        name: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct AdminCmd {
    #[command(subcommand)]
    pub command: AdminSub,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleArg {
    Coordinator,
    Engineer,
    Region,
}

#[derive(Debug, Subcommand)]
pub enum AdminSub {
    /// Give a login its role (again, to change its station or name)
    #[command(
        after_help = "coordinator: the station's tickets and staff list; engineer: reads the station's tickets, records visits, quotes and bench repairs on their own; region: reads every station, decides cancellation requests (R15) and records commission orders on special customers' tickets (R14); its desk works on every station unless its configuration names one. An engineer's --name is their name on the staff list.\n\nExample:\n  repairdesk admin grant wang --role engineer --station BJ-0101 --name 王建国"
    )]
    Grant {
        /// The login (a PostgreSQL role that can log in)
        login: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The station's code (coordinator and engineer)
        #[arg(long, value_name = "CODE")]
        station: Option<String>,
        /// The person's name, recorded on everything they do (default: the login)
        #[arg(long)]
        name: Option<String>,
    },
    /// Take a login's role away (its entry and history stay)
    #[command(after_help = "Example:\n  repairdesk admin revoke li")]
    Revoke { login: String },
    /// Everyone granted: login, role, station, name (revoked ones marked)
    #[command(after_help = "Example:\n  repairdesk admin list --json")]
    List,
    /// Every grant and revoke, oldest first: when, by whom, before and after
    #[command(after_help = "Example:\n  repairdesk admin history")]
    History,
}

#[derive(Debug, Args)]
pub struct TicketCmd {
    #[command(subcommand)]
    pub command: TicketSub,
}

/// Refuse the change if the ticket is no longer at this version (exit 5).
#[derive(Debug, Args, Clone, Copy)]
pub struct Expect {
    #[arg(long, value_name = "N")]
    pub expect_version: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum TicketSub {
    /// Create a station ticket (R18); prints its number
    #[command(
        after_help = "Example:\n  repairdesk ticket new --customer 张伟 --phone 13800138000 --fault '无法开机' \\\n    --service-type onsite --address '海淀区中关村大街1号' --district 海淀区"
    )]
    New {
        #[arg(long)]
        customer: String,
        #[arg(long)]
        phone: String,
        #[arg(long)]
        fault: String,
        #[arg(long, value_enum)]
        service_type: ServiceType,
        #[arg(long, default_value = "")]
        address: String,
        #[arg(long, default_value = "")]
        district: String,
        #[arg(long, default_value = "")]
        product_line: String,
        #[arg(long, default_value = "")]
        model: String,
        #[arg(long, default_value = "")]
        serial: String,
        /// A special customer (R14)
        #[arg(long)]
        special: bool,
        #[arg(long, value_enum, default_value = "normal")]
        priority: Priority,
        #[arg(long, value_enum, default_value = "in")]
        warranty: Warranty,
    },
    /// Everything about one ticket
    #[command(after_help = "Example:\n  repairdesk ticket show ZD-20261126-0001 --json")]
    Show {
        /// The ticket's number; on a region's desk that reads every station,
        /// STATION/NUMBER (a number several stations hold is refused bare)
        no: String,
    },
    /// Tickets, most urgent first
    #[command(
        after_help = "Example:\n  repairdesk ticket list --status queued --status in_progress --search 张"
    )]
    List {
        #[arg(long = "status")]
        statuses: Vec<String>,
        #[arg(long)]
        engineer: Option<String>,
        #[arg(long)]
        search: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
    },
    /// The ticket's events, oldest first
    #[command(after_help = "Example:\n  repairdesk ticket history ZD-20261126-0001")]
    History {
        /// The ticket's number; on a region's desk that reads every station,
        /// STATION/NUMBER (a number several stations hold is refused bare)
        no: String,
    },
    /// Log a contact attempt (R1–R3)
    #[command(
        after_help = "Example:\n  repairdesk ticket contact ZD-20261126-0001 --result no-answer --note '无人接听'"
    )]
    Contact {
        no: String,
        #[arg(long, value_enum)]
        result: ContactResult,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// Mark the customer unreachable (R2)
    #[command(after_help = "Example:\n  repairdesk ticket unreachable ZD-20261126-0001")]
    Unreachable {
        no: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// Write the next promised time T3 (R5, R8, R10, R12)
    #[command(
        after_help = "Example:\n  repairdesk ticket promise ZD-20261126-0001 --at '明天 14:00'\n  repairdesk ticket promise ZD-20261126-0001 --at 2026-11-30 10:00 --type customer --reason '用户出差'"
    )]
    Promise {
        no: String,
        #[arg(long)]
        at: String,
        #[arg(long = "type", value_enum)]
        ptype: Option<PromiseType>,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        expect: Expect,
    },
    /// Solved on the phone (R4): closes the ticket
    #[command(
        after_help = "Example:\n  repairdesk ticket phone-resolve ZD-20261126-0001 --kind software"
    )]
    PhoneResolve {
        no: String,
        #[arg(long, value_enum)]
        kind: PhoneFix,
        #[command(flatten)]
        expect: Expect,
    },
    /// Order spare parts (R6)
    #[command(
        after_help = "Example:\n  repairdesk ticket parts ZD-20261126-0001 --order PO-8812 --part 5B20S --qty 1 --eta '2026-11-28 12:00'"
    )]
    Parts {
        no: String,
        #[arg(long)]
        order: String,
        #[arg(long)]
        part: String,
        #[arg(long, default_value_t = 1)]
        qty: u32,
        /// Expected delivery (required, R6): the service time is agreed from it
        #[arg(long, value_name = "WHEN")]
        eta: Option<String>,
        #[command(flatten)]
        expect: Expect,
    },
    /// Parts delivered (R8)
    #[command(
        after_help = "Example:\n  repairdesk ticket parts-arrived ZD-20261126-0001 --order PO-8812"
    )]
    PartsArrived {
        no: String,
        #[arg(long)]
        order: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// Printable work order (.html or .txt by extension) (R7), or the
    /// special-case form (R9)
    #[command(
        after_help = "Example:\n  repairdesk ticket print ZD-20261126-0001 -o wo.html\n  repairdesk ticket print ZD-20261126-0001 --form special-case"
    )]
    Print {
        no: String,
        #[arg(short, long)]
        output: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "work-order")]
        form: FormArg,
    },
    /// Send an engineer (R7, R16, R17)
    #[command(
        after_help = "Example:\n  repairdesk ticket dispatch ZD-20261126-0001 --engineer 王工"
    )]
    Dispatch {
        no: String,
        #[arg(long)]
        engineer: String,
        #[arg(long)]
        site: Option<String>,
        /// Dispatch an unprinted ticket, with the reason (system outage)
        #[arg(long = "override", value_name = "TEXT")]
        override_reason: Option<String>,
        #[command(flatten)]
        expect: Expect,
    },
    /// Record an onsite visit with its arrival and completion times (R9, R10, R11)
    #[command(
        after_help = "The arrival (到场) and completion (完成) times are what the engineer reports; \
they default to now and may be entered after the fact, but never before the dispatch nor \
after now. T4 is the completion time of the visit that fixed the machine.\n\n\
Examples:\n  repairdesk ticket visit ZD-20261126-0001 --result fixed --arrived '13:50' --done '14:20'\n  \
repairdesk ticket visit ZD-20261126-0001 --result not-fixed --next '明天 10:00'\n  \
repairdesk ticket visit ZD-20261126-0001 --result not-home --next '后天 15:00' --note '已留言'"
    )]
    Visit {
        no: String,
        #[arg(long, value_enum)]
        result: VisitResult,
        /// When the engineer arrived on site (default: now)
        #[arg(long, value_name = "WHEN")]
        arrived: Option<String>,
        /// When the visit was finished (default: now)
        #[arg(long, value_name = "WHEN")]
        done: Option<String>,
        /// The next agreed time (not-fixed: R10; not-home: the customer's time)
        #[arg(long, value_name = "WHEN")]
        next: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// Record a carry-in (送修) bench repair: who repaired it and when it was finished
    #[command(
        after_help = "A carry-in ticket is repaired at the station's bench: it is never dispatched \
or visited. T3 is the agreed collection time (约定取机), T2 the moment the customer was told \
to collect (通知取机); closing it records the collection and signature (T4). The finish time \
defaults to now and may be entered after the fact, never after now.\n\n\
Example:\n  repairdesk ticket repair ZD-20261126-0002 --result fixed --by 王工 --done '16:40'"
    )]
    Repair {
        no: String,
        #[arg(long, value_enum)]
        result: RepairResult,
        /// The engineer who repaired it (default: the acting engineer, else the ticket's)
        #[arg(long, value_name = "ENGINEER")]
        by: Option<String>,
        /// When the bench work was finished (default: now)
        #[arg(long, value_name = "WHEN")]
        done: Option<String>,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// Resolve with the customer's signature (R11, P5)
    #[command(
        after_help = "Every part the ticket received is accounted for (R11): its faulty part \
returned (--returned-part CODE) or not, with why (--not-returned CODE=REASON); closing \
without that is refused with the parts still to account for. Onsite, T4 is the completion \
of the fixing visit; carry-in, closing records the collection (T4 = now).\n\n\
Example:\n  repairdesk ticket close ZD-20261126-0001 --signed-by 张伟 --returned-part 5B20S\n  \
repairdesk ticket close ZD-20261126-0001 --signed-by 张伟 --not-returned '5B20S=用户保留旧件'"
    )]
    Close {
        no: String,
        #[arg(long)]
        signed_by: String,
        /// A received part whose faulty part was returned (返还) (R11)
        #[arg(long = "returned-part", value_name = "CODE")]
        returned_parts: Vec<String>,
        /// A received part whose faulty part was not returned, and why (R11)
        #[arg(long = "not-returned", value_name = "CODE=REASON")]
        not_returned: Vec<String>,
        #[arg(long)]
        charge: Option<f64>,
        #[command(flatten)]
        expect: Expect,
    },
    /// Ask the region to cancel (R15)
    #[command(
        after_help = "Example:\n  repairdesk ticket cancel ZD-20261126-0001 --reason duplicate --note '与 CC123 重复'"
    )]
    Cancel {
        no: String,
        #[arg(long, value_enum)]
        reason: CancelReason,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// The region's decision on a cancellation (R15)
    #[command(
        after_help = "Example:\n  repairdesk ticket cancel-decision ZD-20261126-0001 --approve --by 华北大区李经理"
    )]
    CancelDecision {
        /// The ticket's number; on a region's desk that reads every station,
        /// STATION/NUMBER (a number several stations hold is refused bare)
        no: String,
        #[arg(long, conflicts_with = "reject", required_unless_present = "reject")]
        approve: bool,
        #[arg(long)]
        reject: bool,
        #[arg(long)]
        by: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// The region was notified of a special customer (R14)
    #[command(
        after_help = "Example:\n  repairdesk ticket notify-region ZD-20261126-0001 --commission 300"
    )]
    NotifyRegion {
        /// The ticket's number; on a region's desk that reads every station,
        /// STATION/NUMBER (a number several stations hold is refused bare)
        no: String,
        #[arg(long)]
        commission: Option<f64>,
        #[command(flatten)]
        expect: Expect,
    },
    /// The call centre's follow-up (R13)
    #[command(
        after_help = "Example:\n  repairdesk ticket followup ZD-20261126-0001 --result unsatisfied --reopen"
    )]
    Followup {
        no: String,
        #[arg(long, value_enum)]
        result: FollowupResult,
        #[arg(long)]
        reopen: bool,
        #[command(flatten)]
        expect: Expect,
    },
    /// The customer approved a quote for an out-of-warranty repair (P5);
    /// the dispatched engineer may record it on site (--as)
    #[command(after_help = "Example:\n  repairdesk ticket quote ZD-20261126-0001 --amount 450")]
    Quote {
        no: String,
        #[arg(long)]
        amount: f64,
        #[command(flatten)]
        expect: Expect,
    },
    /// Correct the ticket (R19): each correction is one event with the old
    /// and new values. The ticket number, source, T1 and the time points
    /// are never edited.
    #[command(
        after_help = "Example:\n  repairdesk ticket edit W202611260101 --phone 13800138001 --warranty out --fault-class hardware"
    )]
    Edit(Box<EditArgs>),
    /// Record an escalation to the region once T31–T33 are used (R12)
    #[command(
        after_help = "Example:\n  repairdesk ticket escalate W202611260101 --note '三次承诺均未修复，等待主板'"
    )]
    Escalate {
        no: String,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// A visit time agreed after T33 (R12): drives the engineer's day and
    /// the alerts, never written back as a T3
    #[command(
        after_help = "Example:\n  repairdesk ticket appoint W202611260101 --at '明天 10:00' --note '用户同意'"
    )]
    Appoint {
        no: String,
        #[arg(long)]
        at: String,
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
    /// The special-case form (特殊情况说明表) was submitted to the region
    /// (R9); print it with `ticket print NO --form special-case`
    #[command(
        after_help = "Example:\n  repairdesk ticket special-case W202611260101 --note '用户拒绝更换主板，要求全新机器'"
    )]
    SpecialCase {
        no: String,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        expect: Expect,
    },
}

/// `ticket edit`'s flags (R19).
#[derive(Debug, Args)]
pub struct EditArgs {
    pub no: String,
    #[arg(long)]
    pub customer: Option<String>,
    /// The customer's phones, replacing the old ones (repeat for several)
    #[arg(long = "phone", value_name = "P")]
    pub phones: Vec<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub district: Option<String>,
    #[arg(long)]
    pub product_line: Option<String>,
    #[arg(long)]
    pub model: Option<String>,
    #[arg(long)]
    pub serial: Option<String>,
    #[arg(long, value_enum)]
    pub warranty: Option<Warranty>,
    #[arg(long, value_enum)]
    pub fault_class: Option<FaultClass>,
    #[arg(long)]
    pub note: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub ticket_no: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub source: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub t1: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub t2: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub t3: Option<String>,
    /// Never edited: refused (R19)
    #[arg(long, hide = true, value_name = "X")]
    pub t4: Option<String>,
    #[command(flatten)]
    pub expect: Expect,
}

/// Which paper `ticket print` makes.
#[derive(Debug, Clone, Copy, Default, ValueEnum)]
pub enum FormArg {
    /// The work order (维修单, R7)
    #[default]
    WorkOrder,
    /// The special-case form (特殊情况说明表, R9)
    SpecialCase,
}
