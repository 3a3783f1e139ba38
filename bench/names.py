"""Names for the synthetic city, drawn in proportions like England and Wales'.

Surnames: the 100 commonest (in about their order in the ONS 2002 count of
England and Wales, where Smith is ~1.2 % of people and the top 100 together
~20 %) weighted on a smooth curve through those two figures, then a long
Zipf tail (share ∝ 1/rank, as surname counts fall off) of 200,000 names built
from a syllable grammar, so a city of a million people carries tens of
thousands of surnames and most of them are rare. First names: a head of real
names per sex and birth cohort (older cohorts concentrated on few names —
about 4 % of boys born in the 1950s were John or David, and the top 100
covered ~75 %; babies now spread out: Oliver ~1.5 %, top 100 ~50 %), then a
tail of built names shared by all cohorts. The curves are fitted to those
round figures, not copied from the tables; nothing is downloaded.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

# ONS 2002 order, approximately (Patel, Khan, Singh, Begum, Ali, Hussain are
# all within the hundred; a city's mix would vary).
TOP_SURNAMES = (
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson "
    "wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan "
    "allen james scott phillips watson davis parker price bennett young griffiths mitchell "
    "kelly cook carter richardson bailey collins bell shaw murphy miller cox richards khan "
    "marshall anderson simpson ellis adams singh begum wilkinson foster chapman powell webb "
    "rogers gray mason ali hunt hussain campbell matthews owen palmer holmes mills barnes "
    "knight lloyd butler russell barker fisher stevens jenkins murray dixon harvey"
).split()
SMITH_SHARE = 0.012
TOP_100_SHARE = 0.20
SURNAME_TAIL = 200_000

_ONSETS = (
    "ash bar bel black brad bram brent brid brock burn cal cald card carr chad chil cold "
    "cran crom dal dar den dun el fair farn fen fern gar gil glad gold gran gren hal ham har "
    "hart hath hax hay hen her holl horn hul kel ken kir lang lath lin lock mal mar mel mid "
    "mor nor north oak old pen pick pres rad rat red rid rod row rush sal sand sed shel sher "
    "sil skel som south stan stock stow sud sum sut tam thorn thur til trev tun wal war wen "
    "west whit wick wil win wol wor wy yar"
).split()
# Two-part stems too (``ashbarton``), so the grammar holds ~500,000 names.
_MIDDLES = ("", "e", "a", "en", "er", "ing", "el", "by", "ow", *_ONSETS)
_ENDINGS = (
    "ton ley ford field worth by ham well wood ridge dale more shaw croft hurst combe cott "
    "stone bury son ett ings low thwaite wick man den er ock bridge ham hope land ell"
).split()

# Per sex, names roughly in their order of popularity in each birth cohort.
_OLD_F = (
    "margaret mary patricia susan christine elizabeth linda jean barbara carol sandra "
    "janet pauline ann valerie brenda maureen kathleen dorothy irene sheila joan jacqueline "
    "pamela gillian anne catherine diane helen eileen julie angela wendy marion hilary "
    "judith doreen elaine lesley shirley ruth rosemary june beryl sylvia janice teresa"
)
_OLD_M = (
    "john david michael peter robert william james brian anthony richard alan paul "
    "stephen christopher kenneth thomas keith george barry ian graham roger colin raymond "
    "philip terence derek dennis malcolm trevor geoffrey martin frank edward ronald gordon "
    "patrick donald leslie stanley andrew kevin mark charles gary norman victor"
)
_MID_F = (
    "sarah claire nicola emma lisa joanne michelle helen karen rachel louise samantha "
    "elizabeth amanda kelly rebecca victoria julie catherine laura gemma jennifer "
    "kerry natalie donna caroline susan deborah tracey angela jessica hannah lucy "
    "stephanie zoe kirsty charlotte jane fiona melanie amy alison heather dawn sharon "
    "aisha fatima sian rhiannon niamh siobhan agnieszka katarzyna"
)
_MID_M = (
    "david paul mark andrew james michael richard daniel christopher matthew stephen "
    "robert john lee jason darren simon neil ian craig steven thomas gary jonathan "
    "anthony benjamin adam peter philip nicholas kevin martin jamie ryan william scott "
    "carl dean wayne shaun timothy edward mohammed ahmed ali gareth rhys sean piotr tomasz"
)
_NEW_F = (
    "olivia amelia isla ava emily sophia grace mia poppy ella lily evie isabella "
    "sophie ivy freya harper willow charlotte jessica florence ruby alice daisy "
    "sienna chloe matilda phoebe evelyn elsie rosie millie esme aria maya layla "
    "hannah eva lucy ellie zara erin scarlett maryam aisha zainab fatima amira "
    "megan seren ffion niamh aoife eilidh"
)
_NEW_M = (
    "oliver noah george harry leo jack charlie jacob freddie oscar arthur theo muhammad "
    "alfie henry thomas archie joshua william james isaac lucas max ethan teddy "
    "finley logan daniel alexander joseph samuel mason edward adam harrison reuben "
    "tommy louie dylan jude hunter albie rory elijah ronnie mohammed yusuf hamza "
    "omar ali arjun rhys callum"
)
# Born before this year: the commonest name's share, the head's share, the head's names.
COHORTS = (
    (1965, 0.045, 0.66, _OLD_F, _OLD_M),
    (1995, 0.035, 0.56, _MID_F, _MID_M),
    (9999, 0.017, 0.40, _NEW_F, _NEW_M),
)
FIRST_NAME_TAIL = 4_000
_F_ONSETS = "a bel cal da el fa ga ha i ja ka la ma na ro sa ta va ya za lu mi ni ri".split()
_F_MIDDLES = ("", "li", "ri", "na", "la", "mi", "ne", "ra", "si", "ve")
_F_ENDINGS = "a ah ie ey ia ina elle ette lyn ara wen ys".split()
_M_ONSETS = "al bar cor dar ed fer gor har ib jar kal lor mar nor os ras sam tor val wil".split()
_M_MIDDLES = ("", "an", "en", "ib", "o", "ul", "ar", "is", "el", "am")
_M_ENDINGS = "o an on er ius us el id ik ard as im".split()


@dataclass(frozen=True)
class Pool:
    """Names and the cumulative weights to draw them with ``random.choices``."""

    names: list[str]
    cumulative: list[float]

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, cum_weights=self.cumulative)[0]


def _pool(head: list[str], head_share: float, exponent: float, tail: list[str]) -> Pool:
    """``head`` weighted ∝ rank^-exponent to ``head_share`` in all, ``tail`` ∝ 1/rank after it."""
    head_raw = [r**-exponent for r in range(1, len(head) + 1)]
    scale = head_share / sum(head_raw)
    weights = [w * scale for w in head_raw]
    last = weights[-1]
    start = len(head)
    tail_raw = [last * start / (start + r) for r in range(1, len(tail) + 1)]
    tail_scale = (1 - head_share) / sum(tail_raw)
    weights += [w * tail_scale for w in tail_raw]
    return Pool(head + tail, list(itertools.accumulate(weights)))


def _built(onsets: list[str], middles: tuple[str, ...], endings: list[str], n: int) -> list[str]:
    """``n`` distinct names from the grammar, in a fixed pseudo-random order (their rank)."""
    names = sorted({a + b + c for a in onsets for b in middles for c in endings})
    random.Random("names").shuffle(names)
    return names[:n]


def _exponent(top_share: float, head: int, head_share: float) -> float:
    """The curve share ∝ rank^-e through the commonest name's share whose first
    ``head`` names add up to ``head_share``."""
    low, high = 0.0, 3.0
    for _ in range(60):
        mid = (low + high) / 2
        total = sum(top_share * r**-mid for r in range(1, head + 1))
        low, high = (mid, high) if total > head_share else (low, mid)
    return low


def surname_pool() -> Pool:
    top = set(TOP_SURNAMES)
    tail = [n for n in _built(_ONSETS, _MIDDLES, _ENDINGS, SURNAME_TAIL + 500) if n not in top]
    return _pool(
        list(TOP_SURNAMES),
        TOP_100_SHARE,
        _exponent(SMITH_SHARE, len(TOP_SURNAMES), TOP_100_SHARE),
        tail[:SURNAME_TAIL],
    )


def first_name_pools() -> list[tuple[int, Pool, Pool]]:
    """Per cohort (born before this year): the female and the male pool."""
    tail_f = _built(_F_ONSETS, _F_MIDDLES, _F_ENDINGS, FIRST_NAME_TAIL)
    tail_m = _built(_M_ONSETS, _M_MIDDLES, _M_ENDINGS, FIRST_NAME_TAIL)
    pools = []
    for before, top, share, female, male in COHORTS:
        f_head = female.split()
        m_head = male.split()
        exponent = _exponent(top, len(f_head), share)
        pools.append(
            (
                before,
                _pool(f_head, share, exponent, [n for n in tail_f if n not in f_head]),
                _pool(m_head, share, exponent, [n for n in tail_m if n not in m_head]),
            )
        )
    return pools
