"""The 140 institutions of the park: real Anhui universities, colleges and open universities.

Every name the brief mentions is here (安徽开放大学, 合肥工业大学, 安徽大学, 安徽医科大学,
安徽师范大学, 安徽财经大学, 安徽工程大学, 亳州职业技术学院), with the other real
universities, vocational colleges and city open universities of the province; the
training organisations are plausible inventions. The out-of-province visitors the brief
names (武汉理工大学, 南昌航空大学) are deliberately absent: they visited, they did not join.

A tier says how much activity an institution brings to the park (courses, learners).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from edugraph.store.seed.places import CITIES

Kind = Literal["UNIVERSITY", "VOCATIONAL_COLLEGE", "OPEN_UNIVERSITY", "TRAINING_ORGANISATION"]
Tier = Literal["FLAGSHIP", "MAJOR", "REGULAR", "SMALL"]


@dataclass(frozen=True, slots=True)
class InstitutionEntry:
    name: str
    kind: Kind
    city: str
    tier: Tier


OPEN_UNIVERSITY_OF_ANHUI = "安徽开放大学"
"""Builds and runs the park; the first member and by far the largest."""

CHIEF_EXAM_UNIVERSITIES: tuple[str, ...] = (
    "合肥工业大学",
    "安徽师范大学",
    "安徽财经大学",
    "安徽工程大学",
)

_UNIVERSITIES: tuple[tuple[str, str, Tier], ...] = (
    ("合肥工业大学", "合肥", "MAJOR"),
    ("安徽大学", "合肥", "MAJOR"),
    ("安徽医科大学", "合肥", "MAJOR"),
    ("安徽师范大学", "芜湖", "MAJOR"),
    ("安徽财经大学", "蚌埠", "MAJOR"),
    ("安徽工程大学", "芜湖", "MAJOR"),
    ("安徽理工大学", "淮南", "MAJOR"),
    ("安徽农业大学", "合肥", "MAJOR"),
    ("安徽建筑大学", "合肥", "MAJOR"),
    ("安徽工业大学", "马鞍山", "MAJOR"),
    ("淮北师范大学", "淮北", "REGULAR"),
    ("阜阳师范大学", "阜阳", "REGULAR"),
    ("安庆师范大学", "安庆", "REGULAR"),
    ("皖南医学院", "芜湖", "REGULAR"),
    ("蚌埠医科大学", "蚌埠", "REGULAR"),
    ("安徽中医药大学", "合肥", "REGULAR"),
    ("合肥学院", "合肥", "REGULAR"),
    ("合肥师范学院", "合肥", "REGULAR"),
    ("黄山学院", "黄山", "REGULAR"),
    ("巢湖学院", "合肥", "REGULAR"),
    ("滁州学院", "滁州", "REGULAR"),
    ("宿州学院", "宿州", "REGULAR"),
    ("池州学院", "池州", "REGULAR"),
    ("铜陵学院", "铜陵", "REGULAR"),
    ("淮南师范学院", "淮南", "REGULAR"),
    ("蚌埠学院", "蚌埠", "REGULAR"),
    ("皖西学院", "六安", "REGULAR"),
    ("亳州学院", "亳州", "REGULAR"),
    ("安徽科技学院", "滁州", "REGULAR"),
    ("安徽新华学院", "合肥", "REGULAR"),
    ("安徽三联学院", "合肥", "SMALL"),
    ("安徽文达信息工程学院", "合肥", "SMALL"),
    ("安徽外国语学院", "合肥", "SMALL"),
    ("安徽信息工程学院", "芜湖", "SMALL"),
    ("马鞍山学院", "马鞍山", "SMALL"),
    ("合肥城市学院", "合肥", "SMALL"),
    ("安徽艺术学院", "合肥", "SMALL"),
    ("阜阳理工学院", "阜阳", "SMALL"),
    ("芜湖学院", "芜湖", "SMALL"),
    ("皖江工学院", "马鞍山", "SMALL"),
    ("蚌埠工商学院", "蚌埠", "SMALL"),
    ("淮北理工学院", "淮北", "SMALL"),
)

_VOCATIONAL_COLLEGES: tuple[tuple[str, str, Tier], ...] = (
    ("安徽职业技术学院", "合肥", "REGULAR"),
    ("安徽商贸职业技术学院", "芜湖", "REGULAR"),
    ("亳州职业技术学院", "亳州", "REGULAR"),
    ("安徽水利水电职业技术学院", "合肥", "REGULAR"),
    ("安徽电气工程职业技术学院", "合肥", "REGULAR"),
    ("安徽工业经济职业技术学院", "合肥", "REGULAR"),
    ("安徽交通职业技术学院", "合肥", "REGULAR"),
    ("安徽国际商务职业学院", "合肥", "SMALL"),
    ("安徽警官职业学院", "合肥", "SMALL"),
    ("安徽医学高等专科学校", "合肥", "REGULAR"),
    ("安徽中医药高等专科学校", "芜湖", "SMALL"),
    ("安徽工商职业学院", "合肥", "SMALL"),
    ("安徽城市管理职业学院", "合肥", "SMALL"),
    ("安徽审计职业学院", "合肥", "SMALL"),
    ("安徽体育运动职业技术学院", "合肥", "SMALL"),
    ("安徽广播影视职业技术学院", "合肥", "SMALL"),
    ("安徽艺术职业学院", "合肥", "SMALL"),
    ("安徽财贸职业学院", "合肥", "SMALL"),
    ("安徽林业职业技术学院", "合肥", "SMALL"),
    ("安徽邮电职业技术学院", "合肥", "SMALL"),
    ("合肥职业技术学院", "合肥", "REGULAR"),
    ("安徽公安职业学院", "合肥", "SMALL"),
    ("安徽粮食工程职业学院", "合肥", "SMALL"),
    ("安徽涉外经济职业学院", "合肥", "SMALL"),
    ("安徽长江职业学院", "合肥", "SMALL"),
    ("安徽绿海商务职业学院", "合肥", "SMALL"),
    ("合肥科技职业学院", "合肥", "SMALL"),
    ("合肥信息技术职业学院", "合肥", "SMALL"),
    ("合肥财经职业学院", "合肥", "SMALL"),
    ("安徽汽车职业技术学院", "合肥", "SMALL"),
    ("芜湖职业技术学院", "芜湖", "REGULAR"),
    ("安徽机电职业技术学院", "芜湖", "REGULAR"),
    ("安徽扬子职业技术学院", "芜湖", "SMALL"),
    ("安徽电子信息职业技术学院", "蚌埠", "REGULAR"),
    ("蚌埠经济技术职业学院", "蚌埠", "SMALL"),
    ("淮南职业技术学院", "淮南", "REGULAR"),
    ("淮南联合大学", "淮南", "SMALL"),
    ("安徽工贸职业技术学院", "淮南", "SMALL"),
    ("马鞍山职业技术学院", "马鞍山", "REGULAR"),
    ("安徽冶金科技职业学院", "马鞍山", "SMALL"),
    ("马鞍山师范高等专科学校", "马鞍山", "SMALL"),
    ("淮北职业技术学院", "淮北", "REGULAR"),
    ("安徽矿业职业技术学院", "淮北", "SMALL"),
    ("铜陵职业技术学院", "铜陵", "REGULAR"),
    ("安徽工业职业技术学院", "铜陵", "SMALL"),
    ("安庆职业技术学院", "安庆", "REGULAR"),
    ("安庆医药高等专科学校", "安庆", "SMALL"),
    ("安徽黄梅戏艺术职业学院", "安庆", "SMALL"),
    ("黄山职业技术学院", "黄山", "REGULAR"),
    ("滁州职业技术学院", "滁州", "REGULAR"),
    ("滁州城市职业学院", "滁州", "SMALL"),
    ("阜阳职业技术学院", "阜阳", "REGULAR"),
    ("阜阳幼儿师范高等专科学校", "阜阳", "SMALL"),
    ("阜阳科技职业学院", "阜阳", "SMALL"),
    ("宿州职业技术学院", "宿州", "REGULAR"),
    ("皖北卫生职业学院", "宿州", "SMALL"),
    ("六安职业技术学院", "六安", "REGULAR"),
    ("皖西卫生职业学院", "六安", "SMALL"),
    ("安徽国防科技职业学院", "六安", "SMALL"),
    ("亳州幼儿师范高等专科学校", "亳州", "SMALL"),
    ("池州职业技术学院", "池州", "REGULAR"),
    ("宣城职业技术学院", "宣城", "REGULAR"),
    ("安徽中澳科技职业学院", "合肥", "SMALL"),
    ("安徽演艺职业学院", "合肥", "SMALL"),
    ("徽商职业学院", "合肥", "SMALL"),
    ("安徽新闻出版职业技术学院", "合肥", "SMALL"),
)

# The city open universities (the former radio-and-TV universities) of all sixteen cities.
_CITY_OPEN_UNIVERSITIES: tuple[str, ...] = CITIES

_TRAINING_ORGANISATIONS: tuple[tuple[str, str], ...] = (
    ("安徽省农业广播电视学校", "合肥"),
    ("安徽省职工教育培训中心", "合肥"),
    ("合肥市职业技能公共实训中心", "合肥"),
    ("芜湖市继续教育培训中心", "芜湖"),
    ("蚌埠市职业技能培训中心", "蚌埠"),
    ("安庆市继续教育中心", "安庆"),
    ("黄山市旅游职业培训学校", "黄山"),
    ("六安市新型职业农民培训中心", "六安"),
    ("阜阳市职业技能培训中心", "阜阳"),
    ("亳州市中医药技能培训中心", "亳州"),
    ("马鞍山市职工培训中心", "马鞍山"),
    ("滁州市继续教育培训中心", "滁州"),
    ("宣城市职业技能培训学校", "宣城"),
    ("铜陵市职业技能培训中心", "铜陵"),
    ("淮北市职业技能培训中心", "淮北"),
)


def _build() -> tuple[InstitutionEntry, ...]:
    entries = [InstitutionEntry(OPEN_UNIVERSITY_OF_ANHUI, "OPEN_UNIVERSITY", "合肥", "FLAGSHIP")]
    entries += [InstitutionEntry(n, "UNIVERSITY", c, t) for n, c, t in _UNIVERSITIES]
    entries += [InstitutionEntry(n, "VOCATIONAL_COLLEGE", c, t) for n, c, t in _VOCATIONAL_COLLEGES]
    entries += [InstitutionEntry(f"{c}开放大学", "OPEN_UNIVERSITY", c, "REGULAR") for c in _CITY_OPEN_UNIVERSITIES]
    entries += [InstitutionEntry(n, "TRAINING_ORGANISATION", c, "SMALL") for n, c in _TRAINING_ORGANISATIONS]
    return tuple(entries)


INSTITUTIONS: tuple[InstitutionEntry, ...] = _build()

assert len(INSTITUTIONS) == 140, len(INSTITUTIONS)
assert len({entry.name for entry in INSTITUTIONS}) == len(INSTITUTIONS), "duplicate name"
