"""Anhui's sixteen prefecture-level cities and some of their counties.

Local certification centres are named after cities, county-level sub-centres after
counties, and a learner usually lives in the city of the institution they study with.
"""

from __future__ import annotations

CITIES: tuple[str, ...] = (
    "合肥",
    "芜湖",
    "蚌埠",
    "淮南",
    "马鞍山",
    "淮北",
    "铜陵",
    "安庆",
    "黄山",
    "滁州",
    "阜阳",
    "宿州",
    "六安",
    "亳州",
    "池州",
    "宣城",
)

COUNTIES: tuple[tuple[str, str], ...] = (
    # (county-level division, its city)
    ("肥西县", "合肥"),
    ("肥东县", "合肥"),
    ("长丰县", "合肥"),
    ("庐江县", "合肥"),
    ("无为市", "芜湖"),
    ("怀远县", "蚌埠"),
    ("凤台县", "淮南"),
    ("当涂县", "马鞍山"),
    ("濉溪县", "淮北"),
    ("枞阳县", "铜陵"),
    ("桐城市", "安庆"),
    ("歙县", "黄山"),
    ("天长市", "滁州"),
    ("界首市", "阜阳"),
    ("砀山县", "宿州"),
    ("霍山县", "六安"),
    ("蒙城县", "亳州"),
    ("青阳县", "池州"),
    ("广德市", "宣城"),
)
