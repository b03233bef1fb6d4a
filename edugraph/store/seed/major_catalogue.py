"""The twelve self-study examination majors and their 116 tutoring courses.

Majors, codes and course names follow Anhui's 高等教育自学考试 catalogue: bachelor codes
``B…`` from the undergraduate catalogue, associate codes ``A…`` from the vocational one,
and five-digit course codes in the national style. Each of the four chief examination
universities (主考院校) runs three majors. ``since`` is the year a major opened on the
tutoring platform (``None``: before 2022) — two associate majors are new in 2023.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class TutoringCourseEntry:
    code: str
    title: str
    credits: int


@dataclass(frozen=True, slots=True)
class MajorEntry:
    code: str
    name: str
    level: Literal["ASSOCIATE", "BACHELOR"]
    chief: str
    since: int | None
    courses: tuple[TutoringCourseEntry, ...]


def _courses(spec: str) -> tuple[TutoringCourseEntry, ...]:
    """Parse ``code 标题 credits; …`` into course entries."""
    entries = []
    for item in spec.split(";"):
        code, title, credits = item.split()
        entries.append(TutoringCourseEntry(code, title, int(credits)))
    return tuple(entries)


_BACHELOR_PUBLIC = "03708 中国近现代史纲要 2; 03709 马克思主义基本原理概论 4; 00015 英语（二） 14"
_ASSOCIATE_PUBLIC = "03706 思想道德与法治 3; 12656 毛泽东思想和中国特色社会主义理论体系概论 4; 00012 英语（一） 7"

MAJORS: tuple[MajorEntry, ...] = (
    MajorEntry(
        "B050101",
        "汉语言文学",
        "BACHELOR",
        "安徽师范大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00535 现代汉语 6; 00536 古代汉语 6; 00537 中国现代文学史 6;"
            " 00538 中国古代文学史（一） 6; 00539 中国古代文学史（二） 6; 00540 外国文学史 6;"
            " 00541 语言学概论 6; 00529 文学概论（一） 4; 00037 美学 6; 00530 中国现代文学作品选 6;"
            " 00531 中国当代文学作品选 6"
        ),
    ),
    MajorEntry(
        "B120203K",
        "会计学",
        "BACHELOR",
        "安徽财经大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00155 中级财务会计 5; 00159 高级财务会计 6; 00067 财务管理学 6;"
            " 00160 审计学 5; 00157 管理会计（一） 4; 00156 成本会计 4; 00162 会计制度设计 5;"
            " 00070 政府与事业单位会计 4; 00233 税法 5"
        ),
    ),
    MajorEntry(
        "B080901",
        "计算机科学与技术",
        "BACHELOR",
        "合肥工业大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00023 高等数学（工本） 10; 02331 数据结构 4; 02326 操作系统 4;"
            " 04741 计算机网络原理 4; 04735 数据库系统原理 4; 04737 C++程序设计 3;"
            " 02333 软件工程 3; 02325 计算机系统结构 4"
        ),
    ),
    MajorEntry(
        "B120201K",
        "工商管理",
        "BACHELOR",
        "安徽财经大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00054 管理学原理 6; 00058 市场营销学 5;"
            " 00147 人力资源管理（一） 6; 00152 组织行为学 4; 00154 企业管理咨询 4;"
            " 00149 国际贸易理论与实务 6; 04184 线性代数（经管类） 4"
        ),
    ),
    MajorEntry(
        "B030101K",
        "法学",
        "BACHELOR",
        "安徽师范大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 05677 法理学 5; 05679 宪法学 4; 05680 婚姻家庭法 3;"
            " 00245 刑法学 6; 00243 民事诉讼法学 4; 00260 刑事诉讼法学 4; 00261 行政法学 4"
        ),
    ),
    MajorEntry(
        "B040106",
        "学前教育",
        "BACHELOR",
        "安徽师范大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00398 学前教育原理 4; 00402 学前教育史 4; 00401 学前比较教育 4;"
            " 00397 学前教育科学研究 4; 00403 学前儿童家庭教育 4; 00882 学前教育心理学 4;"
            " 12350 幼儿园课程 4"
        ),
    ),
    MajorEntry(
        "B080202",
        "机械设计制造及其自动化",
        "BACHELOR",
        "合肥工业大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00023 高等数学（工本） 10; 02185 机械设计基础 5;"
            " 02187 电工与电子技术 4; 02195 数控技术及应用 4; 02189 机械制造技术 5;"
            " 02159 工程力学（一） 4"
        ),
    ),
    MajorEntry(
        "B081001",
        "土木工程",
        "BACHELOR",
        "合肥工业大学",
        None,
        _courses(
            f"{_BACHELOR_PUBLIC}; 02439 结构力学（二） 5; 02440 混凝土结构设计 4; 02442 钢结构 4;"
            " 02398 土力学及地基基础 4; 02400 建筑施工（一） 4; 02404 工程地质及土力学 4"
        ),
    ),
    MajorEntry(
        "B120801",
        "电子商务",
        "BACHELOR",
        "安徽工程大学",
        2022,
        _courses(
            f"{_BACHELOR_PUBLIC}; 00896 电子商务概论 4; 00909 网络营销与策划 4;"
            " 00902 电子商务网站设计原理 4; 00910 网络经济与企业管理 4; 00913 电子商务与金融 4;"
            " 00911 互联网数据库 4"
        ),
    ),
    MajorEntry(
        "B080601",
        "电气工程及其自动化",
        "BACHELOR",
        "安徽工程大学",
        2022,
        _courses(
            f"{_BACHELOR_PUBLIC}; 02310 电力系统分析 5; 02306 自动控制理论（二） 4;"
            " 02308 电力电子变流技术 4; 02271 电机学 4; 02653 高电压技术 3"
        ),
    ),
    MajorEntry(
        "A530302",
        "大数据与会计",
        "ASSOCIATE",
        "安徽财经大学",
        2023,
        _courses(
            f"{_ASSOCIATE_PUBLIC}; 00041 基础会计学 5; 00043 经济法概论（财经类） 4;"
            " 00067 财务管理学 6; 00156 成本会计 4; 12345 会计信息系统 3"
        ),
    ),
    MajorEntry(
        "A510201",
        "计算机应用技术",
        "ASSOCIATE",
        "安徽工程大学",
        2023,
        _courses(f"{_ASSOCIATE_PUBLIC}; 00018 计算机应用基础 2; 02120 数据库及其应用 4; 00900 网页设计与制作 4"),
    ),
)

assert sum(len(m.courses) for m in MAJORS) == 116
assert {m.chief for m in MAJORS} == {"合肥工业大学", "安徽师范大学", "安徽财经大学", "安徽工程大学"}
