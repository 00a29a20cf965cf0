"""Invented names for the synthetic register: places are compounds of the word lists
below ("Kestrelholt"), people pair a common first name with an invented surname."""

# fmt: off
PLACE_HEADS = (
    "Alder", "Amber", "Bracken", "Bramble", "Briar", "Bryony", "Cinder", "Clover",
    "Corrie", "Daffen", "Drover", "Elder", "Ember", "Fallow", "Fennel", "Gorse",
    "Hazel", "Heron", "Juniper", "Kestrel", "Larch", "Linnet", "Lumen", "Madder",
    "Marrow", "Merlin", "Nettle", "Orris", "Osier", "Pebble", "Plover", "Quill",
    "Rowan", "Rushy", "Saffron", "Sorrel", "Speedwell", "Tansy", "Teasel", "Thistle",
    "Umber", "Vetch", "Wherry", "Willet", "Woad", "Wren", "Yarrow", "Zephyr",
)
PLACE_TAILS = (
    "bury", "by", "combe", "cote", "dale", "den", "field", "ford", "gate", "ham",
    "holt", "hurst", "ley", "mere", "moor", "ridge", "stead", "stow", "thorpe", "ton",
    "wick", "wold", "worth", "well",
)
# Compounds of the lists above that are real places in England: never used.
REAL_PLACES = frozenset((
    "Alderholt", "Alderley", "Ambergate", "Amberley", "Brackenfield", "Cinderford",
    "Cindercombe", "Elderfield", "Emberton", "Fallowfield", "Hazelbury", "Hazelhurst",
    "Heronsgate", "Nettleham", "Nettlestead", "Nettleton", "Rowanfield", "Thistleton",
    "Woadham", "Wrenbury", "Wrenthorpe",
))
FEATURES = (
    "Meadow", "Brook", "Green", "Hill", "Park", "Vale", "Fields", "Valley", "Common",
    "Heath", "Lane", "Grange", "Orchard", "Spinney", "Hollow", "Bridge",
)
STREET_KINDS = ("Road", "Lane", "Avenue", "Street", "Way", "Close", "Drive", "Crescent")
FIRST_NAMES = (
    "Alex", "Amira", "Ben", "Carys", "Chidi", "Dana", "Eli", "Farah", "Gabe", "Hana",
    "Isla", "Jai", "Kemi", "Leo", "Maya", "Nia", "Omar", "Priya", "Quinn", "Rosa",
    "Sami", "Tara", "Uma", "Vik", "Wes", "Yara", "Zoe", "Robin", "Morgan", "Jordan",
)
SURNAME_HEADS = (
    "Ashgrove", "Brindle", "Caddow", "Dapple", "Elderwy", "Fairhythe", "Gallow", "Hobble",
    "Inchley", "Jessamy", "Kittow", "Larkspur", "Mallory", "Nimble", "Oakapple", "Pimm",
    "Quarrel", "Ravel", "Snowdrop", "Tuppen", "Underbough", "Vantry", "Whistle", "Yewlow",
)
SURNAME_TAILS = ("", "ard", "ett", "ington", "more", "shaw", "wright", "well")
MAT_SUFFIXES = (
    "Learning Trust", "Academy Trust", "Education Trust", "Multi Academy Trust",
    "Schools Partnership", "Learning Partnership", "Academies Trust", "Schools Trust",
)
POSTCODE_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# fmt: on


class Words:
    """Draws invented names from one random generator, so runs repeat exactly."""

    def __init__(self, rng):
        self.rng = rng
        self.places = [
            head + tail
            for head in PLACE_HEADS
            for tail in PLACE_TAILS
            if head + tail not in REAL_PLACES
        ]
        rng.shuffle(self.places)
        self._next = 0

    def unique_place(self) -> str:
        """A place name not handed out by this method before (until the list runs out)."""
        place = self.places[self._next % len(self.places)]
        self._next += 1
        return place

    def place(self) -> str:
        return self.rng.choice(self.places)

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAME_HEADS)}{rng.choice(SURNAME_TAILS)}"

    def street(self) -> str:
        rng = self.rng
        name = rng.choice(FEATURES) if rng.random() < 0.5 else self.place()
        number = f"{rng.randrange(1, 140)} " if rng.random() < 0.6 else ""
        return f"{number}{name} {rng.choice(STREET_KINDS)}"

    def postcode(self, area: str, district: int) -> str:
        """A postcode in the real format with an area that does not exist (Q, V, X)."""
        rng = self.rng
        letters = rng.choice(POSTCODE_LETTERS) + rng.choice(POSTCODE_LETTERS)
        return f"{area}{district + rng.randrange(9)} {rng.randrange(10)}{letters}"


def is_invented_person_name(name: str) -> bool:
    first, _, last = name.partition(" ")
    return first in FIRST_NAMES and any(
        last.startswith(head) and last[len(head) :] in SURNAME_TAILS for head in SURNAME_HEADS
    )


def is_invented_place(word: str) -> bool:
    return word not in REAL_PLACES and any(
        word.startswith(head) and word[len(head) :] in PLACE_TAILS for head in PLACE_HEADS
    )
