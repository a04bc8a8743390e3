//! The city's names: systems with their units and member counts (the
//! shape of 004: 10 systems, 107 units, 3,679 members), villages,
//! townships, people, posts and the words of notes.
//!
//! Why a table, not generated strings: screens show these names, and a
//! benchmark run whose screens say 单位17 tells a reader nothing. Member
//! names are unique city-wide (a surname × given-name grid) so a check list
//! can be driven by name; household heads reuse the grid.

/// A system, its units (the first listed holds `BIG_UNIT_MEMBERS` when
/// `big` is set) and how many members all its units have together.
pub(super) struct SystemSpec {
    pub name: &'static str,
    pub units: &'static [&'static str],
    pub members: u32,
    /// The first unit is the big one (the tap test's 250-member unit).
    pub big: bool,
}

/// Members of the big unit (市人民医院), whose check list the bench taps.
pub const BIG_UNIT_MEMBERS: u32 = 250;

pub(super) const SYSTEMS: [SystemSpec; 10] = [
    SystemSpec {
        name: "教育系统",
        units: &[
            "市教育局",
            "市第一中学",
            "市第二中学",
            "市第三中学",
            "市第四中学",
            "市实验中学",
            "市第一小学",
            "市第二小学",
            "市实验小学",
            "市职业技术学校",
            "市教师进修学校",
            "市特殊教育学校",
            "市电化教育馆",
            "市招生考试中心",
        ],
        members: 520,
        big: false,
    },
    SystemSpec {
        name: "卫生系统",
        units: &[
            "市人民医院",
            "市卫生局",
            "市中医院",
            "市妇幼保健院",
            "市疾病预防控制中心",
            "市第二人民医院",
            "市传染病医院",
            "市急救中心",
            "市卫生监督所",
            "市中心血站",
            "市口腔医院",
            "市精神卫生中心",
        ],
        members: 536,
        big: true,
    },
    SystemSpec {
        name: "农业系统",
        units: &[
            "市农业局",
            "市农技推广中心",
            "市畜牧兽医局",
            "市林业局",
            "市水利局",
            "市农机局",
            "市种子管理站",
            "市植保站",
            "市水产站",
            "市农业综合执法大队",
            "市扶贫办",
        ],
        members: 330,
        big: false,
    },
    SystemSpec {
        name: "交通系统",
        units: &[
            "市交通局",
            "市公路管理局",
            "市运输管理处",
            "市港航管理处",
            "市交通规划设计院",
            "市公交公司",
            "市客运总站",
            "市交通执法支队",
            "市路政管理支队",
            "市地方海事处",
        ],
        members: 300,
        big: false,
    },
    SystemSpec {
        name: "公安系统",
        units: &[
            "市公安局",
            "市交警支队",
            "市刑警支队",
            "市治安支队",
            "市出入境管理处",
            "城关派出所",
            "东城派出所",
            "西城派出所",
            "南城派出所",
            "北城派出所",
            "市看守所",
        ],
        members: 420,
        big: false,
    },
    SystemSpec {
        name: "财税系统",
        units: &[
            "市财政局",
            "市地方税务局",
            "市国家税务局",
            "市审计局",
            "市统计局",
            "市物价局",
            "市国资委",
            "市财政投资评审中心",
            "市会计核算中心",
            "市非税收入管理局",
        ],
        members: 310,
        big: false,
    },
    SystemSpec {
        name: "工商系统",
        units: &[
            "市工商局",
            "市质量技术监督局",
            "市食品药品监督管理局",
            "市商务局",
            "市粮食局",
            "市供销社",
            "市烟草专卖局",
            "市盐务管理局",
            "市消费者协会",
        ],
        members: 260,
        big: false,
    },
    SystemSpec {
        name: "文化系统",
        units: &[
            "市文化局",
            "市广播电视局",
            "市图书馆",
            "市博物馆",
            "市文化馆",
            "市体育局",
            "市新华书店",
            "市歌舞剧团",
            "市文物管理所",
            "市档案馆",
        ],
        members: 280,
        big: false,
    },
    SystemSpec {
        name: "城建系统",
        units: &[
            "市建设局",
            "市规划局",
            "市国土资源局",
            "市房产管理局",
            "市城管局",
            "市环保局",
            "市园林局",
            "市自来水公司",
            "市燃气公司",
            "市市政工程处",
        ],
        members: 345,
        big: false,
    },
    SystemSpec {
        name: "民政系统",
        units: &[
            "市民政局",
            "市人事局",
            "市劳动和社会保障局",
            "市残疾人联合会",
            "市老龄委",
            "市社会福利院",
            "市殡葬管理所",
            "市救助管理站",
            "市婚姻登记处",
            "市社会保险事业局",
        ],
        members: 378,
        big: false,
    },
];

pub(super) const BRANCHES: [&str; 8] = [
    "第一党支部",
    "第二党支部",
    "第三党支部",
    "第四党支部",
    "第五党支部",
    "第六党支部",
    "第七党支部",
    "第八党支部",
];

pub(super) const GROUPS: [&str; 10] = [
    "第一督导组",
    "第二督导组",
    "第三督导组",
    "第四督导组",
    "第五督导组",
    "第六督导组",
    "第七督导组",
    "第八督导组",
    "第九督导组",
    "第十督导组",
];

const SURNAMES: [&str; 60] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
];

const GIVEN: [&str; 80] = [
    "建国", "秀英", "伟", "洋", "静", "帆", "磊", "丽", "强", "敏", "军", "娟", "超", "红", "斌",
    "芳", "勇", "燕", "涛", "霞", "平", "琴", "峰", "梅", "明", "华", "文", "玉兰", "海燕", "志强",
    "桂英", "建华", "淑珍", "卫东", "红梅", "国华", "春花", "立新", "小红", "德明", "晓东", "丽娟",
    "振华", "金凤", "永刚", "建军", "秀兰", "国强", "玉梅", "海涛", "宏伟", "桂兰", "晓燕", "志刚",
    "凤英", "建平", "慧", "婷", "鹏", "辉", "玲", "杰", "颖", "浩", "雪梅", "俊杰", "文华", "少华",
    "新民", "卫国", "翠花", "国庆", "向阳", "春梅", "冬梅", "爱国", "建设", "红霞", "永红", "跃进",
];

/// How many distinct person names [`person`] makes before repeating.
pub(super) const DISTINCT_PEOPLE: u32 = (SURNAMES.len() * GIVEN.len()) as u32;

/// The `n`th person's name: distinct for `n < DISTINCT_PEOPLE`.
pub(super) fn person(n: u32) -> String {
    let n = n as usize;
    let surname = SURNAMES[n % SURNAMES.len()];
    let given = GIVEN[(n / SURNAMES.len()) % GIVEN.len()];
    format!("{surname}{given}")
}

pub(super) const VILLAGES: [&str; 85] = [
    "红旗村",
    "前进村",
    "胜利村",
    "光明村",
    "东风村",
    "新华村",
    "和平村",
    "建设村",
    "团结村",
    "幸福村",
    "永丰村",
    "丰收村",
    "长青村",
    "向阳村",
    "朝阳村",
    "东升村",
    "太平村",
    "兴隆村",
    "富民村",
    "安乐村",
    "杨柳村",
    "桃园村",
    "李庄村",
    "张湾村",
    "王家村",
    "刘集村",
    "陈楼村",
    "赵寨村",
    "孙岗村",
    "周桥村",
    "吴店村",
    "郑营村",
    "冯庄村",
    "褚湾村",
    "卫东村",
    "蒋集村",
    "沈庄村",
    "韩楼村",
    "杨湾村",
    "朱集村",
    "秦庄村",
    "尤楼村",
    "许湾村",
    "何庄村",
    "吕集村",
    "施庄村",
    "孔楼村",
    "曹湾村",
    "严庄村",
    "华集村",
    "金庄村",
    "魏楼村",
    "陶湾村",
    "姜庄村",
    "戚集村",
    "谢庄村",
    "邹楼村",
    "喻湾村",
    "柏庄村",
    "水集村",
    "窦庄村",
    "章楼村",
    "云湾村",
    "苏庄村",
    "潘集村",
    "葛庄村",
    "奚楼村",
    "范湾村",
    "彭庄村",
    "郎集村",
    "鲁庄村",
    "韦楼村",
    "昌湾村",
    "马庄村",
    "苗集村",
    "凤庄村",
    "花楼村",
    "方湾村",
    "俞庄村",
    "任集村",
    "袁庄村",
    "柳楼村",
    "石桥村",
    "鲍庄村",
    "史集村",
];

pub(super) const TOWNSHIPS: [&str; 8] = [
    "城关镇",
    "东城镇",
    "西城镇",
    "南湖乡",
    "北山乡",
    "河口镇",
    "青山乡",
    "白沙镇",
];

pub(super) const POSTS: [&str; 8] = [
    "办事窗口",
    "咨询服务台",
    "便民服务岗",
    "投诉受理岗",
    "业务审批岗",
    "综合服务窗口",
    "群众接待室",
    "值班服务岗",
];

pub(super) const PROMISES: [&str; 3] = [
    "一次告知、限时办结，不让群众跑冤枉路",
    "热情接待、耐心解答，办事不过夜",
    "亮身份、亮职责、亮承诺，接受群众监督",
];

pub(super) const COMMITMENT_ITEMS: [&str; 4] = [
    "群众来访一次告知、限时办结",
    "每月开展一次便民服务",
    "结对帮扶一户困难群众",
    "学习党章和十六大报告，写心得体会",
];

pub(super) const REVIEW_COMMENTS: [&str; 4] = [
    "服务热情，解答耐心",
    "办事效率高",
    "排队时间有点长",
    "态度很好，就是窗口少",
];

pub(super) const VISIT_NOTES: [&str; 4] = [
    "了解家庭收入和劳力情况",
    "送去慰问金，商量开春种植计划",
    "帮助联系技术员指导养殖",
    "孩子上学问题已和学校沟通",
];

pub(super) const SUPPORT_NOTES: [&str; 5] = [
    "春节慰问金",
    "化肥两袋、大米一袋",
    "调整种植结构，改种蔬菜",
    "联系养殖合作社入股",
    "提供外出务工信息",
];

pub(super) const EXCUSES: [&str; 3] = ["外出开会", "手术中", "工地作业"];
