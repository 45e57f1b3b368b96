"""Self-written texts for filter tests: one fluent document per language family, and helpers to break it."""

GOOD_EN = """The harbour town wakes up early, long before the first ferry leaves for the islands.
Fishermen unload their boxes of mackerel while the baker on the corner pulls the first loaves out of the oven.
By eight o'clock the market square is full of people who have come to buy vegetables, cheese and fresh bread.
Children walk to school along the sea wall, and their parents stop to talk with neighbours about the weather.
In the afternoon the wind usually turns, and the small boats come back to the shelter of the old stone pier.
Visitors often say that the town feels slower than the city, and that is exactly why the people who live here love it.
When the sun goes down, the lights of the cafés shine on the water and the day ends with music from the square."""

GOOD_FR = """Le petit village se réveille tôt, bien avant que le premier bus ne parte pour la ville.
Les agriculteurs apportent leurs légumes au marché et la boulangère sort les premières baguettes du four.
Vers neuf heures, la place est pleine de gens qui achètent du fromage, des fruits et du pain frais.
Les enfants vont à l'école à pied et leurs parents discutent avec les voisins devant la mairie.
L'après-midi, le vent se lève et les promeneurs rentrent chez eux en passant par le vieux pont de pierre.
Les visiteurs disent souvent que la vie y est plus calme qu'en ville, et c'est pour cela que les habitants l'aiment."""

GOOD_ZH = """这个小镇每天清晨都很安静，第一班渡船出发之前，渔民们就已经开始卸下他们的渔获。
街角的面包店飘出新鲜面包的香味，很多老人会在那里买早餐，然后到广场上和朋友们聊天。
到了上午，市场里挤满了买菜的人，他们一边挑选蔬菜和水果，一边讨论最近的天气和新闻。
孩子们沿着海边的小路走去学校，父母们则在路口和邻居打招呼，说说家里的事情。
下午的时候，风向通常会改变，小船一艘接一艘地回到古老的石头码头，渔民们开始整理渔网。
来这里旅游的人常常说，这个小镇的生活节奏比大城市慢得多，而这正是当地人最喜欢它的原因。"""

CODE_OK = '''import json
from pathlib import Path


def load_settings(path: Path) -> dict:
    """Read the settings file, falling back to defaults when it is missing."""
    if not path.exists():
        return {"debug": False, "workers": 4}
    with path.open() as handle:
        return json.load(handle)


def main() -> None:
    settings = load_settings(Path("settings.json"))
    print(f"running with {settings['workers']} workers")
'''
