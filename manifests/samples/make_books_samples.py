"""Writes the bundled Project Gutenberg-style samples of the ``books`` source.

Every book here is written by us (fictional titles, authors and ebook numbers in the
99900s), laid out like real gutenberg.org downloads: UTF-8 with a BOM and CRLF line
ends, the new ("*** START OF THE PROJECT GUTENBERG EBOOK") and old ("*** START OF THIS
…") headers, a producer credit, the footer and a shortened licence. Besides them: the
same book as an older download with two words corrected (a near-duplicate), a French
book in ISO-8859-1, a German book whose header was stripped but whose "End of the
Project Gutenberg EBook" line was kept, a pamphlet too short to be a book, and a binary
file with a .txt name. Run ``python manifests/samples/make_books_samples.py``.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parent / "books"
INDENT = "    "  # new-style downloads have a line of four spaces under the first line

LIGHTHOUSE_TITLE = "The Lighthouse Keeper's Ledger"
LIGHTHOUSE = """\
THE LIGHTHOUSE KEEPER'S LEDGER

By Margaret Ellery



CHAPTER I. THE LEDGER


When Thomas Avery took charge of the light on Gull Point, the first thing the retiring keeper gave him was not the key to the lamp room but a ledger bound in green cloth. Every keeper for sixty years had written in it: the weather at dawn and dusk, the ships that passed, the oil burned, and now and then a line that had nothing to do with the light at all.

Thomas read it by candlelight on his first night. He learned that the winter of the great frost had frozen the bay so hard that a farmer walked his cow across it to the island, and that a keeper named Rowe had once rowed out in a gale to pull four fishermen from the water. He learned that the spring tides came highest in March, that the swallows returned in the second week of April, and that somebody, years ago, had been very lonely in November.

He closed the book, climbed the hundred and twelve steps to the lamp, and wound the clockwork that turned the great lens. Out on the dark water a steamer answered the beam with two short blasts of her horn, and Thomas, without quite knowing why, raised his hand to her.


CHAPTER II. THE STORM


The storm came in October, three days after the barometer began to fall. For a day and a night the wind screamed around the tower and the sea broke white over the rocks, throwing spray as high as the gallery rail. Thomas kept the lamp burning, trimmed the wicks every hour, and wrote in the ledger as the keepers before him had done: wind north-east, rising; sea very heavy; no ships seen.

On the second night he saw a light where no light should be. A small schooner had lost her foremast and was drifting toward the reef, her crew burning a tar barrel on deck to show where they were. Thomas could not reach them; no boat could have lived in that sea. So he did the only thing he could. He took the hand lamp down to the lower gallery and swung it slowly back and forth, again and again, to show them the gap in the reef that the old charts marked and the new ones had forgotten.

At first light the schooner lay at anchor in the lee of the island, battered but afloat. Her captain came ashore in the afternoon with a basket of apples and a bottle of rum, and would not leave until Thomas had shaken hands with every man of the crew.


CHAPTER III. THE LAST ENTRY


Thomas kept the light for thirty-one years. When the lighthouse board wrote to say that the lamp would be made automatic and the keeper's cottage closed, he read the letter twice, folded it into the ledger, and went on with his work until the day the engineers arrived.

His last entry is short. Wind south-west, light. Sea calm. Swallows gone. Lamp lit at sunset as usual. Below it, in a smaller hand, he added a line for whoever might read the book after him: the light is not for the ships that come safely home, but for the one that might not.

The ledger is kept now in the little museum on the harbour wall, open at that page under a sheet of glass. Children read it on school trips and ask what it means, and their teachers, who are mostly not sure, tell them to go and look at the light.
"""

MILLER_TITLE = "Le Jardin du meunier"
MILLER = """\
LE JARDIN DU MEUNIER

par Anne Delorme



I.


Au bord de la rivière, à une lieue du village, se dressait un vieux moulin dont la roue ne tournait plus depuis longtemps. Le meunier, un homme silencieux aux mains couvertes de farine même le dimanche, avait planté derrière la maison un jardin que tout le monde venait admirer. On y trouvait des rosiers grimpants, des rangées de poireaux, des pommiers si vieux qu'il fallait étayer leurs branches, et un banc de pierre où sa femme aimait coudre l'après-midi.

Chaque matin, avant le lever du soleil, il descendait arroser les plates-bandes avec l'eau de la rivière. Il parlait à ses plantes comme à de vieilles connaissances, leur demandait des nouvelles de la nuit, et s'inquiétait quand une feuille jaunissait. Les enfants du village se moquaient un peu de lui, mais ils revenaient toujours, car il leur donnait des cerises en juin et des noix en octobre.


II.


Un été, la sécheresse fut si terrible que la rivière se réduisit à un mince filet d'eau entre les pierres. Les champs brûlaient, les puits se vidaient, et l'on disait au marché que le jardin du meunier ne survivrait pas. Le meunier ne répondait rien. Il partait la nuit avec deux seaux, marchait jusqu'à la source de la colline, et revenait à l'aube, les épaules douloureuses, pour verser l'eau au pied de chaque arbre.

Sa femme l'accompagnait parfois. Ils ne parlaient guère en chemin ; ils écoutaient les grillons et regardaient les étoiles tomber au-dessus des bois. Quand la pluie revint enfin, au début de septembre, tout le village sortit pour la sentir sur son visage, et l'on vit le meunier assis sur le banc de pierre, les yeux fermés, qui riait tout seul.


III.


Le moulin est aujourd'hui une maison de vacances, et la roue a été repeinte en rouge pour les touristes. Mais derrière la maison, le vieux pommier porte encore des fruits chaque automne, et les gens du pays disent que c'est le meunier qui continue de l'arroser, la nuit, quand personne ne regarde.
"""

BRIDGE = """\
                          DIE BRÜCKE AM FLUSS

                                VON

                             KARL WEBER




I.


Die alte Holzbrücke über den Fluss war so schmal, dass zwei Fuhrwerke nicht aneinander vorbeikamen. Wer zuerst kam, fuhr zuerst; wer später kam, wartete am Ufer und rauchte eine Pfeife. So war es seit hundert Jahren, und niemand im Dorf hatte sich je darüber beklagt, denn beim Warten erfuhr man die Neuigkeiten aus beiden Tälern.

Im Frühjahr, wenn der Schnee in den Bergen schmolz, stieg das Wasser bis knapp unter die Bohlen. Dann stand der alte Fährmann Jakob, dessen Fähre längst verkauft war, den ganzen Tag am Geländer und beobachtete die treibenden Äste. Er kannte jedes Geräusch der Brücke, jedes Knarren und Ächzen, und wenn er den Kopf schüttelte, fuhr an diesem Tag niemand hinüber.


II.


Eines Nachts im April weckte Jakob das halbe Dorf mit der Glocke der Kapelle. Der Fluss hatte einen ganzen Baumstamm mitgerissen, der nun quer vor den Pfeilern lag und das Wasser staute. Die Männer kamen mit Laternen, Seilen und Äxten, und bis zum Morgengrauen arbeiteten sie im eiskalten Wasser, bis der Stamm endlich nachgab und mit einem dumpfen Krachen davontrieb.

Die Brücke hielt. Als die Sonne aufging, saßen die Männer erschöpft auf den Bohlen, tranken heißen Kaffee, den die Frauen gebracht hatten, und sahen zu, wie das Wasser langsam sank. Jakob sagte kein Wort. Er klopfte nur zweimal mit der flachen Hand auf das Geländer, wie man einem treuen Pferd auf den Hals klopft.


III.


Heute führt eine breite Betonbrücke über den Fluss, und die Lastwagen donnern hinüber, ohne anzuhalten. Die alte Holzbrücke steht noch ein Stück weiter oben, nur für Fußgänger, und an ihrem Geländer hängt ein kleines Schild mit Jakobs Namen. Wer dort stehen bleibt, hört den Fluss unter den Bohlen rauschen und glaubt manchmal, das Knarren des alten Holzes zu verstehen.
"""

PAMPHLET = """\
A NOTICE TO THE MEMBERS OF THE HARBOUR READING ROOM

The reading room will be closed on the first Monday of each month for cleaning. Members are asked to return borrowed newspapers to the rack by the door and not to take them home. Lamps must be put out by the last member to leave. Subscriptions for the coming year may be paid to the secretary on Saturday mornings.
"""

LICENCE = """\
*** START: FULL LICENSE ***

THE FULL PROJECT GUTENBERG LICENSE
PLEASE READ THIS BEFORE YOU DISTRIBUTE OR USE THIS WORK

To protect the Project Gutenberg-tm mission of promoting the free
distribution of electronic works, by using or distributing this work
(or any other work associated in any way with the phrase "Project
Gutenberg"), you agree to comply with all the terms of the Full Project
Gutenberg-tm License available with this file or online at
www.gutenberg.org/license.
"""


def wrapped(text: str, width: int = 72) -> str:
    """Hard-wraps paragraphs at ``width`` columns, as PG plain-text files are."""
    lines: list[str] = []
    for line in text.split("\n"):
        words, current = line.split(" "), ""
        if len(line) <= width:
            lines.append(line)
            continue
        for word in words:
            if current and len(current) + 1 + len(word) > width:
                lines.append(current)
                current = word
            else:
                current = f"{current} {word}" if current else word
        lines.append(current)
    return "\n".join(lines)


def new_style(title: str, author: str, number: int, language: str, body: str) -> str:
    """A download from gutenberg.org since about 2020."""
    return f"""\
The Project Gutenberg eBook of {title}
{INDENT}
This ebook is for the use of anyone anywhere in the United States and
most other parts of the world at no cost and with almost no restrictions
whatsoever. You may copy it, give it away or re-use it under the terms
of the Project Gutenberg License included with this ebook or online
at www.gutenberg.org.

Title: {title}

Author: {author}

Release date: May 2, 2021 [eBook #{number}]
                Most recently updated: January 9, 2024

Language: {language}

Credits: Produced by the Curate Sample Volunteers


*** START OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***




Produced by the Curate Sample Volunteers




{wrapped(body)}



*** END OF THE PROJECT GUTENBERG EBOOK {title.upper()} ***


{INDENT}
Updated editions will replace the previous one--the old editions will
be renamed.

{LICENCE}"""


def old_style(title: str, author: str, number: int, language: str, charset: str, body: str) -> str:
    """A download from gutenberg.org before about 2020."""
    return f"""\
The Project Gutenberg EBook of {title}, by {author}

This eBook is for the use of anyone anywhere at no cost and with
almost no restrictions whatsoever.  You may copy it, give it away or
re-use it under the terms of the Project Gutenberg License included
with this eBook or online at www.gutenberg.org


Title: {title}

Author: {author}

Release Date: May, 2001 [EBook #{number}]
Last Updated: March 3, 2019

Language: {language}

Character set encoding: {charset}

*** START OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***




Produced by the Curate Sample Volunteers





{wrapped(body)}





End of the Project Gutenberg EBook of {title}, by {author}

*** END OF THIS PROJECT GUTENBERG EBOOK {title.upper()} ***

***** This file should be named {number}.txt or {number}.zip *****

{LICENCE}"""


def as_download(text: str) -> bytes:
    """UTF-8 with a byte order mark and CRLF line ends, as gutenberg.org serves its files."""
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def latin1(text: str) -> bytes:
    """An older file in ISO-8859-1 with CRLF line ends (no BOM: it is not Unicode)."""
    return text.replace("\n", "\r\n").encode("latin-1")


def stripped_header(body: str, title: str, author: str) -> bytes:
    """A mirror copy whose header was removed but whose "End of" line survived (LF, no BOM)."""
    return f"\n{wrapped(body)}\n\n\n\n\nEnd of the Project Gutenberg EBook of {title}, by {author}\n".encode()


def fake_scan() -> bytes:
    """A PNG signature and binary noise under a .txt name: an upload mistake, not a book."""
    return b"\x89PNG\r\n\x1a\n" + bytes((i * 37 + 11) % 256 for i in range(3000))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    revised = LIGHTHOUSE.replace("hundred and twelve steps", "hundred and twelve stone steps")
    revised = revised.replace("thirty-one years", "thirty-two years")
    files = {
        "pg99901.txt": as_download(new_style(LIGHTHOUSE_TITLE, "Margaret Ellery", 99901, "English", LIGHTHOUSE)),
        "pg99901-2019.txt": as_download(
            old_style(LIGHTHOUSE_TITLE, "Margaret Ellery", 99901, "English", "UTF-8", revised)
        ),
        "pg99902-fr-latin1.txt": latin1(old_style(MILLER_TITLE, "Anne Delorme", 99902, "French", "ISO-8859-1", MILLER)),
        "pg99903-de-noheader.txt": stripped_header(BRIDGE, "Die Brücke am Fluss", "Karl Weber"),
        "pg99904-notice.txt": as_download(
            new_style("A Notice to the Members", "Harbour Reading Room", 99904, "English", PAMPHLET)
        ),
        "pg99905-scan.txt": fake_scan(),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"wrote {OUT / name} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
