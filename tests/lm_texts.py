"""Self-written text generators for the perplexity and quality-classifier tests (every word is ours).

``encyclopedic`` writes Wikipedia-like prose from a small grammar; ``spam`` and ``boilerplate`` write the
kinds of web text the reference models should score badly.
"""

from __future__ import annotations

import random

PLACES = ["Amberford", "Kellow", "Brightwater", "Marsden", "Holloway", "Quillbridge", "Ashcombe", "Tarn Vale"]
THINGS = ["river", "village", "castle", "bridge", "railway", "library", "cathedral", "harbour", "mill", "school"]
ADJECTIVES = ["small", "old", "northern", "historic", "rural", "coastal", "medieval", "wooden", "narrow", "busy"]
PEOPLE = ["farmers", "monks", "merchants", "engineers", "fishermen", "weavers", "students", "miners"]
CENTURIES = ["twelfth", "fourteenth", "sixteenth", "eighteenth", "nineteenth", "twentieth"]
TEMPLATES = [
    "The {thing} of {place} is a {adj} {thing2} in the {adj2} part of the county.",
    "It was built by local {people} in the {century} century and restored in {year}.",
    "The {adj} {thing} lies on the road between {place} and {place2}, close to the {thing2}.",
    "During the {century} century the {people} of {place} used the {thing} to trade wool and grain.",
    "According to the census of {year}, the {thing} of {place} had a population of {number} people.",
    "The {thing} is known for its {adj} {thing2}, which was described by historians in {year}.",
    "Several {people} from {place} later moved to {place2}, where they founded a {adj} {thing}.",
]
PRODUCTS = ["pills", "watches", "loans", "casino bonus", "crypto coins", "followers", "replica bags"]
SPAM = [
    "BUY {product} NOW!!! {percent}% OFF best price click here >>> {url}",
    "cheap {product} cheap {product} free shipping order today limited offer!!!",
    "WIN $$$ {number} FREE {product} >>> visit {url} <<< hot deal hot deal",
    "best {product} online no prescription 24/7 support call now {number}",
]
MENU = ["Home", "About us", "Contact", "Login", "Register", "Cart (0)", "Privacy policy", "Terms of use", "Sitemap"]


def encyclopedic(sentences: int, seed: int) -> str:
    rng = random.Random(seed)
    lines = []
    for _ in range(sentences):
        template = rng.choice(TEMPLATES)
        lines.append(
            template.format(
                thing=rng.choice(THINGS),
                thing2=rng.choice(THINGS),
                place=rng.choice(PLACES),
                place2=rng.choice(PLACES),
                adj=rng.choice(ADJECTIVES),
                adj2=rng.choice(ADJECTIVES),
                people=rng.choice(PEOPLE),
                century=rng.choice(CENTURIES),
                year=rng.randint(1700, 2020),
                number=rng.randint(100, 90000),
            )
        )
    # A paragraph break every three sentences, as in an article.
    return "\n".join(" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3))


def spam(lines: int, seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(
        rng.choice(SPAM).format(
            product=rng.choice(PRODUCTS),
            percent=rng.randint(10, 95),
            url=f"www.{rng.choice(['deal', 'promo', 'shop'])}{rng.randint(1, 99)}.example",
            number=rng.randint(1000, 99999),
        )
        for _ in range(lines)
    )


def boilerplate(seed: int) -> str:
    rng = random.Random(seed)
    menu = " | ".join(rng.sample(MENU, 5))
    return f"{menu}\nCopyright © {rng.randint(2000, 2024)} All rights reserved.\nAccept cookies | Subscribe"
