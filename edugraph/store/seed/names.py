"""Realistic Chinese personal names for learners and teachers.

Names are drawn from common surnames, weighted roughly by national frequency with the
surnames frequent in Anhui (汪, 程, 方, 胡) a little heavier, and from given-name
characters common in the names of people born between the 1970s and the 2000s.
"""

from __future__ import annotations

import random

_SURNAME_GROUPS: tuple[tuple[str, int], ...] = (
    # (surnames, weight of each)
    ("王李张", 70),
    ("刘陈", 53),
    ("杨", 31),
    ("黄赵吴周", 20),
    ("徐孙胡朱马", 15),
    ("郭何高林汪", 11),
    ("罗郑梁谢程", 8),
    ("宋唐许韩冯邓曹方", 6),
    ("彭曾肖田董袁潘蒋蔡余杜叶苏魏吕丁", 4),
    ("任沈姚卢姜崔钟陆范金石夏储葛鲍戴陶俞章", 2),
    ("檀査", 1),
)
_SURNAMES = tuple(s for group, _ in _SURNAME_GROUPS for s in group)
_SURNAME_WEIGHTS = tuple(w for group, w in _SURNAME_GROUPS for _ in group)

_GIVEN_MALE = "伟强磊军洋勇杰涛明超斌鹏辉刚健俊浩宇凯峰亮海波晨阳帆文博志建国华林子思天嘉晓泽航睿轩"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞燕玲婷雪慧颖倩洁琳欣悦雯瑶佳怡梦晶璐萍红春秀文晓思雨紫诗梓涵月丹蕾莉"


def person_name(rng: random.Random) -> str:
    """One full name, e.g. 汪思远 or 李娜; about a quarter have a one-character given name."""
    surname = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    pool = _GIVEN_MALE if rng.random() < 0.5 else _GIVEN_FEMALE
    length = 1 if rng.random() < 0.25 else 2
    given = "".join(rng.choice(pool) for _ in range(length))
    if length == 2 and given[0] == given[1] and rng.random() < 0.7:
        # Doubled characters (婷婷) exist but are rarer than a uniform draw makes them.
        given = given[0] + rng.choice(pool)
    return surname + given
