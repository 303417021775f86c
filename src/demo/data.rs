//! Plausible people, places, machines and faults for the demo station.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

pub type Rng = ChaCha8Rng;

pub fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[rng.random_range(0..items.len())]
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾",
    "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁",
    "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏",
];

const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "建国", "志强",
    "海燕", "晓东", "雪", "婷", "宇", "浩", "鹏", "欣怡", "子涵", "思远", "佳琪", "俊杰", "梓轩",
    "雨萱", "博文", "晨", "亮", "玉兰", "振华", "立新", "淑珍",
];

pub fn person(rng: &mut Rng) -> String {
    format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN))
}

/// Special customers (特殊身份用户, R14): government, press, key accounts.
const SPECIAL_ORGS: &[&str] = &[
    "海淀区人民政府办公室",
    "北京日报社",
    "朝阳区教育委员会",
    "中国农业银行北京分行",
    "北京市第一中学",
    "国家图书馆",
    "中央电视台新闻中心",
    "北京协和医院信息中心",
];

pub fn special_customer(rng: &mut Rng) -> String {
    format!("{}（{}）", pick(rng, SPECIAL_ORGS), person(rng))
}

/// Beijing districts and some streets in each.
pub const DISTRICTS: &[(&str, &[&str])] = &[
    (
        "海淀区",
        &[
            "中关村大街",
            "学院路",
            "知春路",
            "上地十街",
            "北四环西路",
            "苏州街",
            "万泉河路",
        ],
    ),
    (
        "朝阳区",
        &[
            "建国路",
            "望京街",
            "朝阳北路",
            "酒仙桥路",
            "东三环中路",
            "安立路",
            "双井街",
        ],
    ),
    (
        "东城区",
        &["东直门南大街", "王府井大街", "崇文门外大街", "和平里东街"],
    ),
    (
        "西城区",
        &["金融大街", "西直门内大街", "广安门内大街", "德胜门外大街"],
    ),
    (
        "丰台区",
        &["丰台北路", "南三环西路", "科学城星火路", "马家堡东路"],
    ),
    ("石景山区", &["鲁谷路", "石景山路", "古城大街"]),
    ("昌平区", &["回龙观西大街", "天通苑北街", "府学路"]),
    ("通州区", &["新华西街", "梨园路", "运河东大街"]),
    ("大兴区", &["兴华大街", "亦庄荣华中路", "黄村西大街"]),
    ("顺义区", &["府前中街", "后沙峪裕民大街"]),
];

const BUILDINGS: &[&str] = &["大厦", "科技园", "中心", "广场", "写字楼"];
const ESTATES: &[&str] = &["家园", "小区", "花园", "嘉园", "新村", "公寓"];

/// A street address in a district (`coverage` names districts to draw from).
pub fn address(rng: &mut Rng, district: &str) -> String {
    let streets = DISTRICTS
        .iter()
        .find(|(d, _)| *d == district)
        .map_or(&["人民路", "建设路", "解放路"][..], |(_, s)| s);
    let street = pick(rng, streets);
    let n = rng.random_range(1..200);
    if rng.random_bool(0.45) {
        let name = format!(
            "{}{}",
            pick(rng, &["华", "金", "中", "科", "盛", "融", "鼎", "泰"]),
            pick(rng, &["信", "源", "创", "达", "通", "汇", "嘉", "安"])
        );
        format!(
            "{street}{n}号{name}{}{}层{}室",
            pick(rng, BUILDINGS),
            rng.random_range(2..28),
            rng.random_range(1..30) + 100 * rng.random_range(1..9)
        )
    } else {
        let name = format!(
            "{}{}",
            pick(
                rng,
                &[
                    "阳光", "翠微", "北辰", "远洋", "万科", "金隅", "首开", "华清"
                ]
            ),
            pick(rng, ESTATES)
        );
        format!(
            "{street}{n}号{name}{}号楼{}单元{}",
            rng.random_range(1..30),
            rng.random_range(1..6),
            rng.random_range(1..25) * 100 + rng.random_range(1..5)
        )
    }
}

pub fn mobile(rng: &mut Rng) -> String {
    let second = pick(rng, &['3', '5', '7', '8', '9']);
    format!("1{second}{:09}", rng.random_range(0..1_000_000_000u32))
}

pub fn landline(rng: &mut Rng) -> String {
    format!(
        "010-{}{:07}",
        rng.random_range(5..9),
        rng.random_range(0..10_000_000u32)
    )
}

/// A number that cannot exist (R3): too short, or a landline without area code.
pub fn impossible_phone(rng: &mut Rng) -> String {
    if rng.random_bool(0.5) {
        format!("13{:08}", rng.random_range(0..100_000_000u32))
    } else {
        format!("6{:07}", rng.random_range(0..10_000_000u32))
    }
}

/// Product line and models, Lenovo-like.
pub const PRODUCTS: &[(&str, &[&str])] = &[
    (
        "ThinkPad",
        &[
            "X1 Carbon Gen 11",
            "T14 Gen 4",
            "E14 Gen 5",
            "P16s Gen 2",
            "X13 Gen 4",
            "T480s",
        ],
    ),
    ("昭阳", &["K4e-IML", "E5-ITL", "X7-16 ABA", "K43c-80"]),
    ("扬天", &["M4000q", "V15-IIL", "T4900k", "P680"]),
    ("ThinkCentre", &["M720t", "M90t Gen 3", "neo 50s", "M70q"]),
    ("小新", &["Pro 14 2023", "Air 15", "Pro 16", "Pad Pro 12.7"]),
    ("拯救者", &["Y9000P 2023", "R7000P", "Y7000"]),
    ("ThinkBook", &["14+ 2023", "16p G4", "14 G5"]),
    ("ThinkStation", &["P3 Tower", "P360"]),
];

pub fn product(rng: &mut Rng) -> (String, String, String) {
    let (line, models) = pick(rng, PRODUCTS);
    let model = pick(rng, models);
    const ALNUM: &[u8] = b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut serial = String::from(*pick(rng, &["PF", "MP", "R9", "S1"]));
    for _ in 0..6 {
        serial.push(char::from(*pick(rng, ALNUM)));
    }
    (line.to_string(), model.to_string(), serial)
}

/// Hardware faults: need a visit, maybe parts.
pub const HARDWARE_FAULTS: &[&str] = &[
    "开机无显示，电源灯亮",
    "屏幕闪烁，有横向亮线",
    "键盘部分按键失灵",
    "插电源适配器无法充电",
    "风扇噪音大，机器发烫",
    "硬盘异响，系统无法启动",
    "触控板失灵",
    "电池鼓包，后盖翘起",
    "开机报错 0190 电池电量严重不足",
    "主板不通电，完全无反应",
    "USB 接口无法识别设备",
    "声卡无声音，耳机正常",
    "摄像头无法使用",
    "笔记本进水，无法开机",
    "屏幕转轴断裂",
    "台式机开机后自动重启",
    "内存报警，长鸣三声",
];

/// Faults a coordinator can often solve on the phone (R4).
pub const SOFTWARE_FAULTS: &[&str] = &[
    "系统蓝屏，提示 IRQL_NOT_LESS_OR_EQUAL",
    "Windows 无法激活",
    "无法连接无线网络",
    "系统启动很慢，疑似中毒",
    "打印机驱动安装失败",
    "Office 打开提示未授权",
    "外接显示器无信号，疑似设置问题",
];

/// Parts (FRU codes) by what breaks.
pub const PARTS: &[&str] = &[
    "5B20S72095",
    "5M11C85634",
    "5D10W46467",
    "02DL765",
    "5H50S28931",
    "01YU294",
    "5SB0S31125",
    "5B21C22461",
    "5F10S13883",
    "04X5618",
];

pub const ENGINEERS: &[(&str, u32)] = &[
    ("王建国", 6),
    ("李志强", 5),
    ("刘洋", 6),
    ("陈磊", 4),
    ("赵敏", 5),
    ("孙浩", 6),
];

pub const COORDINATOR: &str = "周婷";
pub const CALL_CENTRE: &str = "电话中心";
pub const REGION: &[&str] = &["大区 韩经理", "大区 郑主管"];
