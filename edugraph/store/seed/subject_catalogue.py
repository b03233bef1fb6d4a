"""What the park teaches: course subjects with their lecture topics, and what learners earn.

A course title is a subject plus, often, a variant (``大学英语（二）``, ``会计基础（微课版）``)
so that 185 demo courses do not share a dozen titles. A subject's topics name its video
lectures (``第3讲 导数与微分``). Subjects carry a field so an institution's courses fit it:
a medical college teaches 护理学基础 rather than 机械制图.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Subject:
    title: str
    field: str
    topics: tuple[str, ...]


def _s(title: str, field: str, topics: str) -> Subject:
    return Subject(title, field, tuple(topics.split("、")))


SUBJECTS: tuple[Subject, ...] = (
    _s(
        "高等数学",
        "GENERAL",
        "函数与极限、导数与微分、微分中值定理、不定积分、定积分、多元函数微分学、重积分、无穷级数",
    ),
    _s(
        "大学英语",
        "GENERAL",
        "Unit 1 校园生活、Unit 2 文化差异、Unit 3 科技与生活、Unit 4 职场沟通、"
        "Unit 5 健康生活、Unit 6 环境保护、阅读技巧、写作训练",
    ),
    _s(
        "计算机应用基础",
        "IT",
        "计算机系统概述、Windows 操作、Word 文字处理、Excel 电子表格、PowerPoint 演示文稿、网络与信息安全",
    ),
    _s(
        "思想道德与法治",
        "GENERAL",
        "人生的青春之问、坚定理想信念、弘扬中国精神、践行社会主义核心价值观、明大德守公德严私德、尊法学法守法用法",
    ),
    _s(
        "中国近现代史纲要",
        "GENERAL",
        "进入近代后中华民族的磨难与抗争、不同社会力量对国家出路的探索、"
        "辛亥革命与君主专制制度的终结、中国共产党成立和中国革命新局面、中华民族的抗日战争、"
        "中华人民共和国的成立、改革开放与中国特色社会主义",
    ),
    _s(
        "会计基础",
        "ECONOMICS",
        "会计要素与会计等式、会计科目与账户、借贷记账法、会计凭证、会计账簿、财产清查、财务报表",
    ),
    _s(
        "中级财务会计",
        "ECONOMICS",
        "货币资金、应收及预付款项、存货、长期股权投资、固定资产、无形资产、负债、所有者权益、收入费用和利润",
    ),
    _s(
        "财务管理",
        "ECONOMICS",
        "财务管理总论、资金时间价值、筹资管理、投资管理、营运资金管理、利润分配、财务分析",
    ),
    _s(
        "经济学基础",
        "ECONOMICS",
        "需求与供给、消费者行为、生产与成本、市场结构、国民收入核算、货币与银行、宏观经济政策",
    ),
    _s(
        "市场营销",
        "ECONOMICS",
        "营销环境分析、消费者购买行为、市场细分与定位、产品策略、价格策略、渠道策略、促销策略",
    ),
    _s(
        "电子商务概论",
        "ECONOMICS",
        "电子商务概述、网络零售、跨境电商、电子支付、网络营销、电商物流",
    ),
    _s("管理学原理", "ECONOMICS", "管理与管理者、决策、计划、组织设计、领导、激励、沟通、控制"),
    _s(
        "经济法",
        "LAW",
        "经济法基础理论、公司法律制度、合同法律制度、竞争法律制度、消费者权益保护、税收法律制度",
    ),
    _s("民法学", "LAW", "民法总则、自然人、法人、民事法律行为、代理、物权、合同、侵权责任"),
    _s(
        "宪法学",
        "LAW",
        "宪法基本理论、国家性质与国家形式、公民基本权利和义务、国家机构、宪法实施与监督",
    ),
    _s(
        "现代教育技术",
        "EDUCATION",
        "教育技术概述、教学媒体、多媒体课件设计、微课制作、信息化教学设计、在线学习平台应用",
    ),
    _s(
        "教育心理学",
        "EDUCATION",
        "学习理论、学习动机、知识的学习、技能的形成、问题解决与创造性、品德的形成、教师心理",
    ),
    _s(
        "学前教育学",
        "EDUCATION",
        "学前教育的产生与发展、儿童观与教育观、幼儿园课程、幼儿园环境创设、游戏活动、家园共育",
    ),
    _s(
        "儿童发展心理学",
        "EDUCATION",
        "发展心理学概述、婴儿期的发展、幼儿期的认知发展、幼儿期的社会性发展、童年期的发展",
    ),
    _s(
        "护理学基础",
        "MEDICINE",
        "护理学概论、医院和住院环境、病人入院和出院护理、生命体征的评估、饮食与营养、给药、静脉输液与输血",
    ),
    _s(
        "人体解剖学",
        "MEDICINE",
        "运动系统、消化系统、呼吸系统、泌尿系统、脉管系统、神经系统、感觉器",
    ),
    _s(
        "药理学",
        "MEDICINE",
        "药理学总论、传出神经系统药物、中枢神经系统药物、心血管系统药物、抗菌药物、抗肿瘤药物",
    ),
    _s("中医基础理论", "MEDICINE", "阴阳学说、五行学说、藏象、气血津液、经络、病因病机、防治原则"),
    _s(
        "应用化工技术",
        "ENGINEERING",
        "化工生产概述、流体输送、传热、精馏、吸收、化学反应器、化工安全",
    ),
    _s(
        "机械制图",
        "ENGINEERING",
        "制图基本知识、投影基础、组合体、机件表达方法、标准件和常用件、零件图、装配图",
    ),
    _s(
        "电工电子技术",
        "ENGINEERING",
        "直流电路、正弦交流电路、三相电路、变压器、电动机、半导体器件、基本放大电路、数字电路基础",
    ),
    _s(
        "工程力学",
        "ENGINEERING",
        "静力学基础、平面力系、轴向拉伸与压缩、剪切与挤压、扭转、弯曲、压杆稳定",
    ),
    _s(
        "建筑施工技术",
        "ENGINEERING",
        "土方工程、地基与基础工程、砌体工程、钢筋混凝土工程、预应力混凝土工程、结构安装工程、防水工程",
    ),
    _s(
        "工程造价",
        "ENGINEERING",
        "工程造价概述、建设项目投资构成、工程计价依据、建筑面积计算、工程量清单计价、施工阶段造价管理",
    ),
    _s(
        "汽车构造",
        "ENGINEERING",
        "发动机总体构造、曲柄连杆机构、配气机构、燃料供给系统、传动系统、行驶系统、转向系统、制动系统",
    ),
    _s(
        "数控加工技术",
        "ENGINEERING",
        "数控机床概述、数控编程基础、数控车削编程、数控铣削编程、加工中心编程、数控加工工艺",
    ),
    _s(
        "Python 程序设计",
        "IT",
        "Python 语言概述、基本数据类型、程序控制结构、函数、组合数据类型、文件和数据格式化、第三方库",
    ),
    _s(
        "数据库原理与应用",
        "IT",
        "数据库系统概述、关系模型、SQL 语言、数据库设计、规范化理论、事务与并发控制",
    ),
    _s("计算机网络", "IT", "计算机网络概述、物理层、数据链路层、网络层、传输层、应用层、网络安全"),
    _s(
        "网页设计与制作",
        "IT",
        "HTML 基础、CSS 样式、页面布局、表单设计、JavaScript 基础、响应式设计",
    ),
    _s(
        "大数据技术基础",
        "IT",
        "大数据概述、Hadoop 生态、分布式文件系统、MapReduce、Spark、数据可视化",
    ),
    _s(
        "农业经济管理",
        "AGRICULTURE",
        "农业经济概述、农业生产要素、农业经营主体、农产品市场、农业产业化、乡村振兴战略",
    ),
    _s(
        "作物栽培技术",
        "AGRICULTURE",
        "作物生长发育、土壤与施肥、水稻栽培、小麦栽培、玉米栽培、病虫害绿色防控",
    ),
    _s(
        "农村电商实务",
        "AGRICULTURE",
        "农村电商概述、农产品品牌打造、网店开设与运营、直播带货、农产品物流",
    ),
    _s(
        "茶叶加工技术",
        "AGRICULTURE",
        "茶叶基础知识、绿茶加工、红茶加工、黄山毛峰制作、六安瓜片制作、茶叶审评",
    ),
    _s("书法鉴赏", "ARTS", "汉字与书法、篆书、隶书、楷书、行书、草书、书法名作赏析"),
    _s("黄梅戏艺术赏析", "ARTS", "黄梅戏的起源、唱腔特点、表演程式、经典剧目、名家名段"),
    _s("设计基础", "ARTS", "设计概述、平面构成、色彩构成、立体构成、版式设计、创意思维"),
    _s("大学语文", "GENERAL", "先秦文学、两汉文学、唐诗、宋词、明清小说、现当代散文、应用文写作"),
    _s(
        "心理健康教育",
        "GENERAL",
        "认识心理健康、自我意识、情绪管理、人际交往、恋爱心理、压力与挫折应对",
    ),
    _s(
        "职业生涯规划",
        "GENERAL",
        "认识职业生涯、自我探索、职业世界探索、职业决策、求职准备、职场适应",
    ),
    _s(
        "公共安全管理",
        "LAW",
        "公共安全概述、自然灾害应对、事故灾难应对、公共卫生事件应对、社会安全事件应对",
    ),
    _s(
        "旅游概论",
        "ECONOMICS",
        "旅游的产生与发展、旅游者、旅游资源、旅游业、旅游市场、皖南旅游文化",
    ),
)

FIELDS_BY_KEYWORD: tuple[tuple[str, str], ...] = (
    # An institution whose name contains the keyword mostly teaches that field.
    ("医", "MEDICINE"),
    ("卫生", "MEDICINE"),
    ("中医药", "MEDICINE"),
    ("师范", "EDUCATION"),
    ("幼儿", "EDUCATION"),
    ("财经", "ECONOMICS"),
    ("商", "ECONOMICS"),
    ("审计", "ECONOMICS"),
    ("财贸", "ECONOMICS"),
    ("农", "AGRICULTURE"),
    ("林业", "AGRICULTURE"),
    ("茶", "AGRICULTURE"),
    ("工", "ENGINEERING"),
    ("建筑", "ENGINEERING"),
    ("机电", "ENGINEERING"),
    ("电气", "ENGINEERING"),
    ("交通", "ENGINEERING"),
    ("矿业", "ENGINEERING"),
    ("冶金", "ENGINEERING"),
    ("汽车", "ENGINEERING"),
    ("水利", "ENGINEERING"),
    ("艺术", "ARTS"),
    ("演艺", "ARTS"),
    ("影视", "ARTS"),
    ("黄梅戏", "ARTS"),
    ("警", "LAW"),
    ("公安", "LAW"),
    ("外国语", "GENERAL"),
    ("信息", "IT"),
    ("电子", "IT"),
    ("邮电", "IT"),
    ("科技", "IT"),
)

TITLE_VARIANTS: tuple[tuple[str, int], ...] = (
    # (suffix, weight): most titles are plain, the rest are volumes, editions or tracks.
    ("", 10),
    ("（一）", 3),
    ("（二）", 3),
    ("（上）", 1),
    ("（下）", 1),
    ("（专升本）", 2),
    ("（高起专）", 1),
    ("（微课版）", 2),
    ("（第2版）", 1),
    ("实务", 1),
    ("（在职提升）", 1),
)

# -- Credit bank: what learners deposit ----------------------------------------------

OUTCOMES: tuple[tuple[str, str, int], ...] = (
    # (title, OutcomeKind, credits)
    ("大学英语（一）课程学分", "ACADEMIC_CREDIT", 4),
    ("高等数学（一）课程学分", "ACADEMIC_CREDIT", 5),
    ("会计基础课程学分", "ACADEMIC_CREDIT", 3),
    ("中国近现代史纲要课程学分", "ACADEMIC_CREDIT", 2),
    ("计算机应用基础课程学分", "ACADEMIC_CREDIT", 3),
    ("全国计算机等级考试二级证书（MS Office 高级应用）", "VOCATIONAL_CERTIFICATE", 3),
    ("初级会计专业技术资格证书", "VOCATIONAL_CERTIFICATE", 4),
    ("1+X 财务共享服务职业技能等级证书（中级）", "VOCATIONAL_CERTIFICATE", 4),
    ("1+X Web 前端开发职业技能等级证书（初级）", "VOCATIONAL_CERTIFICATE", 3),
    ("育婴员职业技能等级证书（四级）", "VOCATIONAL_CERTIFICATE", 2),
    ("电工职业技能等级证书（中级）", "VOCATIONAL_CERTIFICATE", 3),
    ("普通话水平测试二级甲等证书", "VOCATIONAL_CERTIFICATE", 2),
    ("中小学教师资格证书", "VOCATIONAL_CERTIFICATE", 4),
    ("高素质农民培育培训结业证书", "TRAINING", 2),
    ("农业经理人专题培训结业证书", "TRAINING", 2),
    ("乡村振兴带头人研修班结业证书", "TRAINING", 3),
    ("中小学教师信息技术应用能力提升培训", "TRAINING", 2),
    ("网络园区在线课程《现代教育技术》结业", "ONLINE_COURSE", 2),
    ("网络园区在线课程《Python 程序设计》结业", "ONLINE_COURSE", 3),
    ("网络园区在线课程《农村电商实务》结业", "ONLINE_COURSE", 2),
    ("安徽省职业院校技能大赛三等奖", "AWARD", 2),
    ("全国大学生英语竞赛省级二等奖", "AWARD", 1),
)

CERTIFICATE_KINDS = frozenset({"VOCATIONAL_CERTIFICATE", "TRAINING", "AWARD"})
"""Outcomes converted 证书-课程 (书证融通) rather than 课程-课程."""

# -- Alliance: degree foreign-language tutoring products ------------------------------

DEGREE_COURSE_PRODUCTS: tuple[tuple[str, int, int], ...] = (
    # (product, price in yuan, weight)
    ("学位英语辅导课程（基础班）", 199, 5),
    ("学位英语辅导课程（冲刺班）", 299, 4),
    ("学位英语真题精讲", 99, 3),
    ("学位英语全程班（基础+冲刺）", 399, 2),
    ("学位日语辅导课程", 299, 1),
)
