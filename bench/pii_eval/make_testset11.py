#!/usr/bin/env python3
"""Generate pii_testset11.jsonl: a blind, labelled PII/secret test set (set 11).

Focus: natural-language documents in many languages (45 ISO 639-1 codes):
chat logs (Slack, WhatsApp, Telegram, IRC, LINE, KakaoTalk, WeChat, ...),
e-mails with quoted history and signatures, helpdesk tickets, onboarding
letters, SMS, forum / Q&A / social-media posts, meeting notes, wiki pages and
tables (Markdown, MediaWiki, HTML, LaTeX, CSV, TSV, fixed-width, pasted
spreadsheets), PDF-to-text with hyphenation and page furniture, invoices,
receipts, order confirmations, bank notices, hotel/travel bookings, admin
handover notes and classroom handouts with lab accounts.

How it works
------------
* Every document is a hand-written template.  Values are inserted through
  placeholders ``{{KIND}}`` or ``{{KIND@tag}}`` (the tag makes repeated
  placeholders reuse one value; NAME/FIRST/LAST/EMAIL/USER with the same tag
  describe the same fictitious person).
* ``render`` walks the template left to right, generates a fresh random value
  for each placeholder with ``random.Random(111111)`` and records the span
  offsets *while inserting* (never by searching afterwards).
* Labelled kinds map to EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD or SECRET (see
  ``ENTITY``); every other kind (names, usernames, dates, phone numbers, order
  numbers, private IPs, reserved-domain e-mails, masked cards, ...) is
  inserted without a span.
* Positive templates are instantiated 2-4 times (3-4 when they contain a card
  number), hard-negative templates 3-4 times, always with fresh values.
  Records: ``{"id","text","lang","context","category","spans"}``; ids are
  ``t11-<template#>-<variant#>``.

Checks (all fatal, ``assert``/``SystemExit``)
--------------------------------------------
1. ``text[start:end]`` equals the inserted value for every span; spans are
   sorted and never overlap; positives have >= 1 span, negatives none.
2. Every labelled IP is public (``ipaddress`` ``is_global``, not multicast,
   not in 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32).
3. Every labelled card is Luhn-valid with a real brand prefix and length
   (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Mir).
4. Every labelled e-mail has a non-reserved domain (not example.com/.org/.net,
   not .test/.invalid/.localhost/.example).
5. Password-like secrets (PW, PWA, PHRASE, PSK, PIN) never start with a
   symbol, never contain whitespace, are never purely alphabetic (no plain
   dictionary words) and no secret ends in . , ! ? : ;
   Generated secrets are also rejected if they themselves look like an
   e-mail, an IPv4 address or a card number.
6. Ids are unique, no text occurs twice.
7. A simple scanner runs over every negative text and over the unlabelled
   parts of every positive text (labelled spans are replaced by a NUL
   character first).  It must find no public IPv4 / IPv6 address, no
   Luhn-valid brand-prefixed card number (every contiguous window of 12-19
   digits formed from whole digit groups separated by single spaces or
   dashes is tested; Maestro prefixes are included to make it stricter), and
   no e-mail address on a non-reserved domain.  A rendering that trips the
   scanner (e.g. a random phone number or IBAN that happens to contain a
   Luhn-valid Visa-like window) is re-drawn; the final file is re-checked.
   No category-specific exceptions are needed.  Known blind spot: a single
   digit group longer than 19 digits (e.g. 2^64) is not searched for
   embedded card numbers.
8. Minimum sizes: >= 800 SECRET, >= 200 EMAIL_ADDRESS, >= 150 IP_ADDRESS,
   >= 120 CREDIT_CARD spans, >= 150 positive templates, >= 400 hard-negative
   records in >= 30 categories, >= 35 languages.

Run:  python3 make_testset11.py   (writes pii_testset11.jsonl next to itself
and prints a summary).  Standard library only; output is deterministic.
"""

import base64
import ipaddress
import json
import os
import random
import re
import string
import unicodedata
import uuid
from collections import Counter

SEED = 111111
SET_NO = 11
R = random.Random(SEED)
OUT_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset11.jsonl")

UP = string.ascii_uppercase
LO = string.ascii_lowercase
DG = string.digits
ALNUM = UP + LO + DG
HEX = "0123456789abcdef"
B64U = ALNUM + "-_"


def rs(n, alpha=ALNUM):
    return "".join(R.choice(alpha) for _ in range(n))


def rd(n):
    return "".join(R.choice(DG) for _ in range(n))


def rd_nz(n):
    return R.choice("123456789") + rd(n - 1)


# --------------------------------------------------------------------------
# People, words, domains
# --------------------------------------------------------------------------
LANGS = (
    "en de fr es pt it nl sv da no fi is pl cs sk sl hr sr hu ro bg el tr "
    "ru uk be lt lv et ar he fa ur hi bn ta th vi id ms tl sw ja ko zh"
).split()

NAMES = {
    "en": [
        ("James", "Carter"),
        ("Olivia", "Hughes"),
        ("Ethan", "Bennett"),
        ("Chloe", "Walsh"),
        ("Liam", "Morgan"),
        ("Grace", "Foster"),
    ],
    "de": [
        ("Jonas", "Weber"),
        ("Lena", "Fischer"),
        ("Felix", "Becker"),
        ("Marie", "Hoffmann"),
        ("Tobias", "Krüger"),
        ("Sophie", "Neumann"),
    ],
    "fr": [
        ("Camille", "Dubois"),
        ("Louis", "Lefèvre"),
        ("Manon", "Moreau"),
        ("Hugo", "Girard"),
        ("Léa", "Fournier"),
        ("Julien", "Rousseau"),
    ],
    "es": [
        ("Lucía", "García"),
        ("Javier", "Martínez"),
        ("Carmen", "López"),
        ("Diego", "Sánchez"),
        ("Marta", "Navarro"),
        ("Álvaro", "Ruiz"),
    ],
    "pt": [
        ("João", "Silva"),
        ("Beatriz", "Santos"),
        ("Rafael", "Oliveira"),
        ("Inês", "Costa"),
        ("Tiago", "Almeida"),
        ("Mariana", "Ferreira"),
    ],
    "it": [
        ("Giulia", "Rossi"),
        ("Marco", "Bianchi"),
        ("Francesca", "Esposito"),
        ("Luca", "Romano"),
        ("Chiara", "Colombo"),
        ("Matteo", "Ricci"),
    ],
    "nl": [
        ("Daan", "de Vries"),
        ("Sanne", "Jansen"),
        ("Bram", "Bakker"),
        ("Lotte", "Visser"),
        ("Jeroen", "Smit"),
        ("Femke", "Mulder"),
    ],
    "sv": [
        ("Erik", "Andersson"),
        ("Elin", "Johansson"),
        ("Oskar", "Lindqvist"),
        ("Maja", "Nilsson"),
        ("Johan", "Sjöberg"),
        ("Ebba", "Holm"),
    ],
    "da": [
        ("Mads", "Nielsen"),
        ("Freja", "Jensen"),
        ("Rasmus", "Hansen"),
        ("Ida", "Pedersen"),
        ("Mikkel", "Sørensen"),
        ("Sofie", "Møller"),
    ],
    "no": [
        ("Ola", "Hansen"),
        ("Ingrid", "Johansen"),
        ("Sindre", "Olsen"),
        ("Kari", "Haugen"),
        ("Håkon", "Bakke"),
        ("Silje", "Dahl"),
    ],
    "fi": [
        ("Mikko", "Korhonen"),
        ("Aino", "Virtanen"),
        ("Juha", "Mäkinen"),
        ("Emilia", "Nieminen"),
        ("Ville", "Lehtonen"),
        ("Sanna", "Koskinen"),
    ],
    "is": [
        ("Jón", "Gunnarsson"),
        ("Guðrún", "Sigurðardóttir"),
        ("Ólafur", "Magnússon"),
        ("Kristín", "Einarsdóttir"),
        ("Gunnar", "Björnsson"),
        ("Helga", "Stefánsdóttir"),
    ],
    "pl": [
        ("Katarzyna", "Nowak"),
        ("Piotr", "Kowalski"),
        ("Agnieszka", "Wiśniewska"),
        ("Tomasz", "Wójcik"),
        ("Magdalena", "Kamińska"),
        ("Paweł", "Lewandowski"),
    ],
    "cs": [
        ("Jan", "Novák"),
        ("Tereza", "Svobodová"),
        ("Petr", "Dvořák"),
        ("Lucie", "Černá"),
        ("Jakub", "Procházka"),
        ("Kateřina", "Kučerová"),
    ],
    "sk": [
        ("Marek", "Horváth"),
        ("Zuzana", "Kováčová"),
        ("Peter", "Varga"),
        ("Jana", "Tóthová"),
        ("Michal", "Baláž"),
        ("Simona", "Nagyová"),
    ],
    "sl": [
        ("Luka", "Novak"),
        ("Nina", "Horvat"),
        ("Jure", "Kranjc"),
        ("Špela", "Zupan"),
        ("Matej", "Potočnik"),
        ("Tjaša", "Vidmar"),
    ],
    "hr": [
        ("Ivan", "Horvat"),
        ("Ana", "Kovačević"),
        ("Marko", "Babić"),
        ("Petra", "Marić"),
        ("Josip", "Jurić"),
        ("Ivana", "Knežević"),
    ],
    "sr": [
        ("Никола", "Јовановић", "nikola", "jovanovic"),
        ("Јелена", "Петровић", "jelena", "petrovic"),
        ("Марко", "Николић", "marko", "nikolic"),
        ("Милица", "Марковић", "milica", "markovic"),
        ("Стефан", "Ђорђевић", "stefan", "djordjevic"),
        ("Теодора", "Илић", "teodora", "ilic"),
    ],
    "hu": [
        ("Bence", "Nagy"),
        ("Anna", "Kovács"),
        ("Dániel", "Tóth"),
        ("Eszter", "Szabó"),
        ("Máté", "Varga"),
        ("Réka", "Molnár"),
    ],
    "ro": [
        ("Andrei", "Popescu"),
        ("Ioana", "Ionescu"),
        ("Mihai", "Popa"),
        ("Elena", "Dumitru"),
        ("Radu", "Stan"),
        ("Cristina", "Stoica"),
    ],
    "bg": [
        ("Георги", "Иванов", "georgi", "ivanov"),
        ("Мария", "Петрова", "maria", "petrova"),
        ("Димитър", "Стоянов", "dimitar", "stoyanov"),
        ("Елена", "Николова", "elena", "nikolova"),
        ("Николай", "Тодоров", "nikolay", "todorov"),
        ("Десислава", "Христова", "desislava", "hristova"),
    ],
    "el": [
        ("Γιώργος", "Παπαδόπουλος", "giorgos", "papadopoulos"),
        ("Μαρία", "Οικονόμου", "maria", "oikonomou"),
        ("Νίκος", "Γεωργίου", "nikos", "georgiou"),
        ("Ελένη", "Βασιλείου", "eleni", "vasileiou"),
        ("Κώστας", "Αντωνίου", "kostas", "antoniou"),
        ("Κατερίνα", "Δημητρίου", "katerina", "dimitriou"),
    ],
    "tr": [
        ("Emre", "Yılmaz"),
        ("Zeynep", "Kaya"),
        ("Burak", "Demir"),
        ("Elif", "Şahin"),
        ("Mert", "Çelik"),
        ("Ayşe", "Öztürk"),
    ],
    "ru": [
        ("Алексей", "Смирнов", "aleksey", "smirnov"),
        ("Анна", "Кузнецова", "anna", "kuznetsova"),
        ("Дмитрий", "Попов", "dmitry", "popov"),
        ("Екатерина", "Соколова", "ekaterina", "sokolova"),
        ("Сергей", "Лебедев", "sergey", "lebedev"),
        ("Ольга", "Новикова", "olga", "novikova"),
    ],
    "uk": [
        ("Олександр", "Шевченко", "oleksandr", "shevchenko"),
        ("Оксана", "Коваленко", "oksana", "kovalenko"),
        ("Андрій", "Бондаренко", "andriy", "bondarenko"),
        ("Ірина", "Ткаченко", "iryna", "tkachenko"),
        ("Тарас", "Мельник", "taras", "melnyk"),
        ("Наталія", "Кравченко", "nataliia", "kravchenko"),
    ],
    "be": [
        ("Аляксандр", "Козел", "aliaksandr", "kozel"),
        ("Вольга", "Навумчык", "volha", "navumchyk"),
        ("Павел", "Шыла", "pavel", "shyla"),
        ("Ірына", "Лукашэвіч", "iryna", "lukashevich"),
        ("Андрэй", "Жук", "andrei", "zhuk"),
        ("Алена", "Мароз", "alena", "maroz"),
    ],
    "lt": [
        ("Tomas", "Kazlauskas"),
        ("Rūta", "Petrauskienė"),
        ("Mantas", "Jankauskas"),
        ("Eglė", "Stankevičiūtė"),
        ("Lukas", "Vasiliauskas"),
        ("Gabija", "Žukauskaitė"),
    ],
    "lv": [
        ("Jānis", "Bērziņš"),
        ("Līga", "Kalniņa"),
        ("Andris", "Ozols"),
        ("Ilze", "Liepiņa"),
        ("Mārtiņš", "Krūmiņš"),
        ("Anna", "Zariņa"),
    ],
    "et": [
        ("Martin", "Tamm"),
        ("Kadri", "Saar"),
        ("Rasmus", "Sepp"),
        ("Liis", "Mägi"),
        ("Marko", "Kask"),
        ("Triin", "Rebane"),
    ],
    "ar": [
        ("محمد", "العلي", "mohammed", "alali"),
        ("فاطمة", "الحسن", "fatima", "alhassan"),
        ("أحمد", "منصور", "ahmed", "mansour"),
        ("سارة", "خليل", "sara", "khalil"),
        ("يوسف", "الشامي", "yousef", "alshami"),
        ("ليلى", "حداد", "layla", "haddad"),
    ],
    "he": [
        ("נועה", "כהן", "noa", "cohen"),
        ("איתי", "לוי", "itay", "levi"),
        ("מיכל", "מזרחי", "michal", "mizrahi"),
        ("יונתן", "פרץ", "yonatan", "peretz"),
        ("שירה", "ביטון", "shira", "biton"),
        ("עומר", "אברהם", "omer", "avraham"),
    ],
    "fa": [
        ("علی", "رضایی", "ali", "rezaei"),
        ("مریم", "احمدی", "maryam", "ahmadi"),
        ("حسین", "محمدی", "hossein", "mohammadi"),
        ("زهرا", "کریمی", "zahra", "karimi"),
        ("امیر", "حسینی", "amir", "hosseini"),
        ("نگار", "موسوی", "negar", "mousavi"),
    ],
    "ur": [
        ("عمران", "خان", "imran", "khan"),
        ("عائشہ", "ملک", "ayesha", "malik"),
        ("بلال", "احمد", "bilal", "ahmed"),
        ("فاطمہ", "شیخ", "fatima", "sheikh"),
        ("حمزہ", "چوہدری", "hamza", "chaudhry"),
        ("زینب", "قریشی", "zainab", "qureshi"),
    ],
    "hi": [
        ("राहुल", "शर्मा", "rahul", "sharma"),
        ("प्रिया", "वर्मा", "priya", "verma"),
        ("अमित", "गुप्ता", "amit", "gupta"),
        ("नेहा", "सिंह", "neha", "singh"),
        ("विकास", "यादव", "vikas", "yadav"),
        ("अंजलि", "मिश्रा", "anjali", "mishra"),
    ],
    "bn": [
        ("রাহুল", "দাস", "rahul", "das"),
        ("তানিয়া", "রহমান", "tania", "rahman"),
        ("সৌরভ", "চক্রবর্তী", "sourav", "chakraborty"),
        ("নুসরাত", "ইসলাম", "nusrat", "islam"),
        ("আরিফ", "হোসেন", "arif", "hossain"),
        ("মৌমিতা", "বসু", "moumita", "basu"),
    ],
    "ta": [
        ("அருண்", "குமார்", "arun", "kumar"),
        ("பிரியா", "ராஜன்", "priya", "rajan"),
        ("கார்த்திக்", "சுப்பிரமணியன்", "karthik", "subramanian"),
        ("மீனா", "சுந்தரம்", "meena", "sundaram"),
        ("விஜய்", "கிருஷ்ணன்", "vijay", "krishnan"),
        ("லட்சுமி", "நடராஜன்", "lakshmi", "natarajan"),
    ],
    "th": [
        ("สมชาย", "ใจดี", "somchai", "jaidee"),
        ("สุนิสา", "วงศ์ใหญ่", "sunisa", "wongyai"),
        ("ธนากร", "ศรีสุข", "thanakorn", "srisuk"),
        ("พิมพ์ชนก", "แก้วมณี", "pimchanok", "kaewmanee"),
        ("ณัฐพล", "บุญมา", "nattaphon", "boonma"),
        ("กมลชนก", "ทองดี", "kamonchanok", "thongdee"),
    ],
    "vi": [("Minh", "Nguyễn"), ("Lan", "Trần"), ("Tuấn", "Lê"), ("Hương", "Phạm"), ("Dũng", "Hoàng"), ("Thảo", "Võ")],
    "id": [
        ("Budi", "Santoso"),
        ("Siti", "Rahayu"),
        ("Agus", "Wijaya"),
        ("Dewi", "Lestari"),
        ("Rizky", "Pratama"),
        ("Putri", "Handayani"),
    ],
    "ms": [
        ("Ahmad", "Ismail"),
        ("Nur Aisyah", "Hassan"),
        ("Faiz", "Abdullah"),
        ("Siti Nurhaliza", "Omar"),
        ("Hafiz", "Rahman"),
        ("Aina", "Yusof"),
    ],
    "tl": [
        ("Juan", "Dela Cruz"),
        ("Maria", "Santos"),
        ("Jose", "Reyes"),
        ("Angelica", "Bautista"),
        ("Mark", "Villanueva"),
        ("Kristine", "Garcia"),
    ],
    "sw": [
        ("Juma", "Mwangi"),
        ("Amina", "Otieno"),
        ("Baraka", "Njoroge"),
        ("Neema", "Wanjiku"),
        ("Daudi", "Mushi"),
        ("Rehema", "Akinyi"),
    ],
    "ja": [
        ("翔太", "佐藤", "shota", "sato"),
        ("美咲", "鈴木", "misaki", "suzuki"),
        ("大輔", "高橋", "daisuke", "takahashi"),
        ("さくら", "田中", "sakura", "tanaka"),
        ("健", "伊藤", "ken", "ito"),
        ("陽菜", "渡辺", "hina", "watanabe"),
    ],
    "ko": [
        ("민준", "김", "minjun", "kim"),
        ("서연", "이", "seoyeon", "lee"),
        ("지훈", "박", "jihoon", "park"),
        ("하은", "최", "haeun", "choi"),
        ("도윤", "정", "doyun", "jung"),
        ("수아", "강", "sua", "kang"),
    ],
    "zh": [
        ("伟", "王", "wei", "wang"),
        ("静", "李", "jing", "li"),
        ("磊", "张", "lei", "zhang"),
        ("婷", "刘", "ting", "liu"),
        ("洋", "陈", "yang", "chen"),
        ("芳", "杨", "fang", "yang"),
    ],
}
FAMILY_FIRST_SPACE = {"hu", "vi"}
FAMILY_FIRST_NOSPACE = {"ja", "ko", "zh"}

WORDS = {
    "en": "sunset maple rocket harbor violet thunder pickle falcon".split(),
    "de": "sonne kaffee wolke brezel tanne fuchs regen apfel".split(),
    "fr": "soleil fromage lune velo chaton marron nuage crepe".split(),
    "es": "gato playa luna tortilla verano fuego cielo naranja".split(),
    "pt": "saudade praia gato cafe estrela lua caju sereia".split(),
    "it": "gelato sole pizza mare stella gatto limone vespa".split(),
    "nl": "fiets tulp kaas molen regen hond drop gracht".split(),
    "sv": "fika skog bulle alg sommar snok hav kanel".split(),
    "da": "hygge cykel snegl havet lys bolle skov mormor".split(),
    "no": "fjell brunost ski elg hytte bolle tur sjo".split(),
    "fi": "sauna kissa metsa lumi kahvi joki karhu revontuli".split(),
    "is": "hestur eldfjall jokull lundi snjor fiskur sol hraun".split(),
    "pl": "kotek zamek pierogi lato wisla burza slonce jablko".split(),
    "cs": "pivo kocka hrad les knedlik jaro mesic vlak".split(),
    "sk": "tatry hora mlyn les syr potok vlcek jazero".split(),
    "sl": "bled gora lipa reka potica sonce kres gozd".split(),
    "hr": "more otok kava sunce vjetar lavanda maslina jedro".split(),
    "sr": "sljiva reka sunce kafa vetar grad orao dunav".split(),
    "hu": "csillag paprika macska duna nyar alma hold tenger".split(),
    "ro": "soare munte pisica lupul dunare vara mar codru".split(),
    "bg": "slance planina roza more kotka vino zvezda sofia".split(),
    "el": "thalassa ilios elia feta kaiki astro gata meli".split(),
    "tr": "deniz kedi gunes lale simit cay yildiz bulut".split(),
    "ru": "zvezda koshka moroz berezka solnce medved volga zima".split(),
    "uk": "kalyna sonechko kozak dnipro veselka borshch zirka lelka".split(),
    "be": "bulba zubr zorka rechka vasilok busel nioman zhuravel".split(),
    "lt": "gintaras ruta ezeras saule vilkas medis zuvis dangus".split(),
    "lv": "dzintars saule mezs jura lapsa ozols putns liepa".split(),
    "et": "kohv meri paike rebane mets kivi jarv sulg".split(),
    "ar": "qamar najma sahra bahr nakhla ward shams ghazal".split(),
    "he": "shemesh yam kelev tapuz kochav geshem shaked chatul".split(),
    "fa": "setare mahtab golnar darya anar bahar kuh parvaneh".split(),
    "ur": "chand sitara barish dil gulab khushboo sahil pari".split(),
    "hi": "chand tara aam sapna baadal mitti nadi mor".split(),
    "bn": "nodi akash ilish phul megh chad shapla boi".split(),
    "ta": "nila malai kadal mayil thamarai vaanam kuyil thendral".split(),
    "th": "mamuang chang dokmai fon thale kati sabai khaosuay".split(),
    "vi": "hoasen pho bien mattroi tre lua mua trang".split(),
    "id": "kopi rendang pantai bunga gunung langit kucing hujan".split(),
    "ms": "kucing pantai bunga durian hujan bulan kopi merah".split(),
    "tl": "araw bahay adobo dagat bituin ulan pusa mangga".split(),
    "sw": "simba jua mvua bahari tembo nyota mti asali".split(),
    "ja": "sakura neko yama sora umi hoshi tsuki ramen".split(),
    "ko": "haneul bada kimchi sarang byeol nabi dal hangang".split(),
    "zh": "longma xiongmao taiyang yueliang chaye xingxing meihua changcheng".split(),
}

DOMAINS = {
    "en": [
        "gmail.com",
        "outlook.com",
        "yahoo.com",
        "brightwater-labs.com",
        "northgate-supply.co.uk",
        "kestrelhealth.org",
    ],
    "de": ["gmx.de", "web.de", "t-online.de", "posteo.de", "nordlicht-logistik.de", "brandt-maschinenbau.de"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "cabinet-morel.fr", "atelier-lumiere.fr", "gmail.com"],
    "es": ["gmail.com", "hotmail.es", "telefonica.net", "grupolevante.es", "clinicasol.es"],
    "pt": ["gmail.com", "uol.com.br", "sapo.pt", "lojaverde.com.br", "construtora-atlas.pt"],
    "it": ["libero.it", "alice.it", "gmail.com", "studiorossi.it", "ferramenta-colombo.it"],
    "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "bakkerbouw.nl", "fietsenplein.nl"],
    "sv": ["telia.com", "gmail.com", "bredband.net", "nordkust.se", "lindqvistbygg.se"],
    "da": ["mail.dk", "gmail.com", "jensen-vvs.dk", "kbhdesign.dk"],
    "no": ["online.no", "gmail.com", "fjordlys.no", "haugenbygg.no"],
    "fi": ["gmail.com", "luukku.com", "saunatalo.fi", "koskinen-logistiikka.fi"],
    "is": ["simnet.is", "gmail.com", "hraunverk.is"],
    "pl": ["wp.pl", "o2.pl", "interia.pl", "onet.pl", "firmakrak.pl"],
    "cs": ["seznam.cz", "email.cz", "centrum.cz", "strojirny-brno.cz"],
    "sk": ["azet.sk", "centrum.sk", "gmail.com", "tatrasoft.sk"],
    "sl": ["siol.net", "gmail.com", "gorenjska-tisk.si"],
    "hr": ["net.hr", "gmail.com", "jadran-turist.hr", "t-com.hr"],
    "sr": ["gmail.com", "eunet.rs", "mts.rs", "beogradsoft.rs"],
    "hu": ["freemail.hu", "citromail.hu", "gmail.com", "dunaprint.hu"],
    "ro": ["yahoo.ro", "gmail.com", "carpatsoft.ro"],
    "bg": ["abv.bg", "mail.bg", "gmail.com", "rodopi-trade.bg"],
    "el": ["gmail.com", "otenet.gr", "yahoo.gr", "aigaio-travel.gr"],
    "tr": ["gmail.com", "hotmail.com", "yandex.com.tr", "anadolu-lojistik.com.tr"],
    "ru": ["mail.ru", "yandex.ru", "rambler.ru", "gmail.com", "volga-trans.ru"],
    "uk": ["ukr.net", "i.ua", "gmail.com", "dnipro-soft.com.ua"],
    "be": ["tut.by", "mail.ru", "gmail.com", "minskprint.by"],
    "lt": ["gmail.com", "one.lt", "baltic-ratas.lt"],
    "lv": ["inbox.lv", "gmail.com", "rigas-koks.lv"],
    "et": ["gmail.com", "hot.ee", "tallinnatehno.ee"],
    "ar": ["gmail.com", "hotmail.com", "yahoo.com", "alnoor-trading.ae", "nileweb.com.eg"],
    "he": ["walla.co.il", "gmail.com", "galil-tech.co.il"],
    "fa": ["gmail.com", "yahoo.com", "chmail.ir", "parsnet.ir"],
    "ur": ["gmail.com", "yahoo.com", "indusweb.pk"],
    "hi": ["gmail.com", "rediffmail.com", "yahoo.co.in", "ganga-infotech.in"],
    "bn": ["gmail.com", "yahoo.com", "padma-soft.com.bd"],
    "ta": ["gmail.com", "yahoo.co.in", "kaveri-systems.in"],
    "th": ["gmail.com", "hotmail.com", "chaophraya-tech.co.th"],
    "vi": ["gmail.com", "yahoo.com.vn", "saigonsoft.vn"],
    "id": ["gmail.com", "yahoo.co.id", "nusantara-digital.co.id"],
    "ms": ["gmail.com", "yahoo.com.my", "melaka-tech.com.my"],
    "tl": ["gmail.com", "yahoo.com", "bayanihan-solutions.ph"],
    "sw": ["gmail.com", "yahoo.com", "kilimo-data.co.ke"],
    "ja": ["gmail.com", "yahoo.co.jp", "docomo.ne.jp", "sakura-sangyo.co.jp"],
    "ko": ["naver.com", "daum.net", "gmail.com", "hanbit-soft.co.kr"],
    "zh": ["qq.com", "163.com", "126.com", "sina.com", "changjiang-tech.cn"],
}
RESERVED_DOMAINS = [
    "example.com",
    "example.org",
    "example.net",
    "mail.test",
    "shop.example",
    "corp.invalid",
    "dev.localhost",
    "mailer.test",
]

CC = {
    "en": "44",
    "de": "49",
    "fr": "33",
    "es": "34",
    "pt": "351",
    "it": "39",
    "nl": "31",
    "sv": "46",
    "da": "45",
    "no": "47",
    "fi": "358",
    "is": "354",
    "pl": "48",
    "cs": "420",
    "sk": "421",
    "sl": "386",
    "hr": "385",
    "sr": "381",
    "hu": "36",
    "ro": "40",
    "bg": "359",
    "el": "30",
    "tr": "90",
    "ru": "7",
    "uk": "380",
    "be": "375",
    "lt": "370",
    "lv": "371",
    "et": "372",
    "ar": "971",
    "he": "972",
    "fa": "98",
    "ur": "92",
    "hi": "91",
    "bn": "880",
    "ta": "91",
    "th": "66",
    "vi": "84",
    "id": "62",
    "ms": "60",
    "tl": "63",
    "sw": "254",
    "ja": "81",
    "ko": "82",
    "zh": "86",
}

FOLD = str.maketrans(
    {
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "Th",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
    }
)


def fold(s):
    s = unicodedata.normalize("NFKD", s.translate(FOLD))
    return "".join(c for c in s if not unicodedata.combining(c)).lower().replace(" ", "")


def pick_person(lang):
    p = R.choice(NAMES[lang])
    if len(p) == 4:
        return p
    return (p[0], p[1], fold(p[0]), fold(p[1]))


def full_name(lang, p):
    if lang in FAMILY_FIRST_NOSPACE:
        return p[1] + p[0]
    if lang in FAMILY_FIRST_SPACE:
        return p[1] + " " + p[0]
    return p[0] + " " + p[1]


# --------------------------------------------------------------------------
# Card / IP helpers
# --------------------------------------------------------------------------
def luhn_ok(d):
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def luhn_digit(partial):
    for c in DG:
        if luhn_ok(partial + c):
            return c
    raise AssertionError


def card_brand(d):
    """Brand of a digit string, or None (used by checks and the scanner)."""
    L = len(d)
    if L < 12 or L > 19 or not d.isdigit():
        return None
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and L in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and L == 16:
        return "mastercard"
    if p2 in (34, 37) and L == 15:
        return "amex"
    if (p4 == 6011 or 644 <= p3 <= 649 or p2 == 65 or 622126 <= p6 <= 622925) and 16 <= L <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= L <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= L <= 19:
        return "diners"
    if p2 == 62 and 16 <= L <= 19:
        return "unionpay"
    if 2200 <= p4 <= 2204 and 16 <= L <= 19:
        return "mir"
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763):
        return "maestro"
    return None


CARD_SPECS = {
    "visa": (lambda: "4", 16),
    "mc": (lambda: R.choice([str(R.randint(51, 55)), str(R.randint(2221, 2720))]), 16),
    "amex": (lambda: R.choice(["34", "37"]), 15),
    "discover": (lambda: R.choice(["6011", "65"]), 16),
    "jcb": (lambda: str(R.randint(3528, 3589)), 16),
    "diners": (lambda: "36", 14),
    "unionpay": (lambda: "62", 16),
    "mir": (lambda: str(R.randint(2200, 2204)), 16),
}
GROUPS = {16: [4, 4, 4, 4], 15: [4, 6, 5], 14: [4, 6, 4]}


def fmt_card(d, style=None):
    style = style or R.choice(["space", "space", "space", "dash", "plain"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    out, i = [], 0
    for g in GROUPS[len(d)]:
        out.append(d[i : i + g])
        i += g
    return sep.join(out)


def make_card_digits(brand):
    pf, L = CARD_SPECS[brand]
    p = pf()
    body = p + rd(L - len(p) - 1)
    return body + luhn_digit(body)


def gen_card(brand):
    while True:
        d = make_card_digits(brand)
        if card_brand(d) and luhn_ok(d):
            return fmt_card(d)


DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_is_public(s):
    a = ipaddress.ip_address(s)
    return a.is_global and not a.is_multicast and not any(a in n for n in DOC_NETS)


FIRST_OCTETS = [
    5,
    31,
    37,
    46,
    51,
    62,
    77,
    78,
    80,
    81,
    82,
    83,
    84,
    85,
    86,
    87,
    88,
    89,
    91,
    93,
    94,
    95,
    109,
    141,
    151,
    176,
    178,
    185,
    188,
    193,
    194,
    195,
    212,
    213,
    217,
    45,
    52,
    54,
    66,
    68,
    71,
    98,
    104,
    142,
    157,
    159,
    161,
    165,
    103,
    114,
    118,
    121,
    125,
    202,
    210,
    220,
    41,
    196,
    200,
    201,
]
IP6_PREFIX = [
    "2a01",
    "2a02",
    "2a00",
    "2a03",
    "2a05",
    "2600",
    "2604",
    "2607",
    "2c0f",
    "2400",
    "2401",
    "2405",
    "2804",
    "2a0e",
]


# --------------------------------------------------------------------------
# Secret generators
# --------------------------------------------------------------------------
MID_SYM = "!@#$%*-_+=.?~^"
END_SYM = "#$%*"
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
IPV4_RE = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d)")


def looks_like_other_entity(v):
    if "@" in v and re.search(r"@[A-Za-z0-9-]+\.[A-Za-z]", v):
        return True
    if IPV4_RE.search(v):
        return True
    if re.search(r"\d{12,}", v):
        return True
    return False


def fix_pw(v):
    if not v[0].isalnum():
        v = R.choice(UP) + v[1:]
    if not (v[-1].isalnum() or v[-1] in END_SYM):
        v = v + R.choice(DG)
    if v.isalpha():
        v = v + rd(2)
    return v


def leet(w):
    rep = {"a": "4@", "e": "3", "i": "1!", "o": "0", "s": "5$", "t": "7"}
    out = []
    for c in w:
        if c.lower() in rep and R.random() < 0.6:
            out.append(R.choice(rep[c.lower()]))
        else:
            out.append(c.upper() if R.random() < 0.2 else c)
    return "".join(out)


def _words(lang):
    return WORDS.get(lang, WORDS["en"])


def gen_pw(lang):
    while True:
        ws = _words(lang)
        w, w2, w3 = R.choice(ws), R.choice(ws + WORDS["en"]), R.choice(ws)
        s = R.random()
        if s < 0.20:
            v = w.capitalize() + R.choice(MID_SYM) + rd(R.randint(2, 4))
        elif s < 0.32:
            v = w.capitalize() + rd(R.randint(2, 4)) + R.choice(END_SYM)
        elif s < 0.50:
            n = R.randint(9, 15)
            v = rs(1) + "".join(R.choice(ALNUM + ALNUM + MID_SYM) for _ in range(n)) + rs(1)
        elif s < 0.63:
            sep = R.choice("-._")
            parts = R.sample(sorted(set(ws + WORDS["en"])), 3)
            if R.random() < 0.5:
                parts = [p.capitalize() for p in parts]
            v = sep.join(parts) + sep + rd(R.randint(1, 3))
        elif s < 0.80:
            v = leet(w.capitalize() + w2) + rd(2)
        elif s < 0.90:
            v = w.lower() + rd(R.randint(1, 3)) + R.choice("!#$%*?@") + w2.capitalize()
        else:
            v = rd(R.randint(2, 4)) + w.capitalize() + R.choice("!#$%*") + w2
        v = fix_pw(v)
        if len(v) >= 8 and not looks_like_other_entity(v) and " " not in v:
            return v


def gen_pwa(lang):
    """Alphanumeric password (safe inside URLs, LaTeX, CSV)."""
    while True:
        if R.random() < 0.5:
            v = rs(R.randint(10, 18))
        else:
            ws = _words(lang)
            v = R.choice(ws).capitalize() + rd(R.randint(2, 4)) + R.choice(ws + WORDS["en"]).capitalize()
        if (
            any(c.isdigit() for c in v)
            and any(c.isalpha() for c in v)
            and v[0].isalnum()
            and not looks_like_other_entity(v)
        ):
            return v


def gen_phrase(lang):
    ws = _words(lang) + WORDS["en"]
    n = R.randint(3, 5)
    sep = R.choice(["-", ".", "_", "-"])
    parts = R.sample(sorted(set(ws)), n)
    if R.random() < 0.4:
        parts = [p.capitalize() for p in parts]
    v = sep.join(parts)
    if R.random() < 0.6:
        v += sep + rd(R.randint(1, 4))
    return fix_pw(v)


def gen_psk(lang):
    s = R.random()
    if s < 0.45:
        return gen_pw(lang)
    if s < 0.70:
        return gen_phrase(lang)
    if s < 0.85:
        return "-".join(rs(4, LO + DG) for _ in range(R.randint(3, 4)))
    while True:
        v = rs(R.randint(12, 20))
        if not looks_like_other_entity(v) and any(c.isdigit() for c in v):
            return v


def gen_pin(lang):
    while True:
        v = rs(R.randint(6, 8), "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def b64u(b):
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def rbytes(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def gen_jwt(lang):
    alg = R.choice(["HS256", "HS256", "RS256"])
    hdr = b64u(json.dumps({"alg": alg, "typ": "JWT"}, separators=(",", ":")).encode())
    iat = R.randint(1700000000, 1760000000)
    p = pick_person(lang)
    payload = {
        "sub": rd_nz(R.randint(5, 9)),
        "name": (p[2] + " " + p[3]).title(),
        "role": R.choice(["user", "admin", "editor", "service"]),
        "iat": iat,
        "exp": iat + R.choice([3600, 86400, 604800]),
    }
    pl = b64u(json.dumps(payload, separators=(",", ":")).encode())
    sig = b64u(rbytes(32 if alg == "HS256" else 256))
    return f"{hdr}.{pl}.{sig}"


def gen_privkey(lang):
    kind = R.choice(["OPENSSH", "RSA", "EC"])
    if kind == "OPENSSH":
        body = (
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"
            + base64.b64encode(rbytes(R.randint(200, 260))).decode()
        )
        width = 70
    elif kind == "RSA":
        body = "MIIEowIBAAKCAQEA" + base64.b64encode(rbytes(R.randint(300, 420))).decode()
        width = 64
    else:
        body = "MHcCAQEEI" + base64.b64encode(rbytes(R.randint(90, 110))).decode()
        width = 64
    body = body.rstrip("=")
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    label = {"OPENSSH": "OPENSSH PRIVATE KEY", "RSA": "RSA PRIVATE KEY", "EC": "EC PRIVATE KEY"}[kind]
    return f"-----BEGIN {label}-----\n" + "\n".join(lines) + f"\n-----END {label}-----"


def end_alnum(v):
    while not v[-1].isalnum():
        v = v[:-1] + R.choice(ALNUM)
    return v


SECRET_GEN = {
    "PW": gen_pw,
    "PWA": gen_pwa,
    "PHRASE": gen_phrase,
    "PSK": gen_psk,
    "PIN": gen_pin,
    "GHP": lambda l: "ghp_" + rs(36),
    "GHPAT": lambda l: "github_pat_" + rs(22, UP + DG) + "_" + rs(59),
    "GLPAT": lambda l: end_alnum("glpat-" + rs(20, B64U)),
    "AKIA": lambda l: "AKIA" + rs(16, UP + "234567"),
    "AWSSEC": lambda l: end_alnum(rs(40, ALNUM + "/+")),
    "XOXB": lambda l: f"xoxb-{rd_nz(11)}-{rd_nz(13)}-{rs(24)}",
    "XOXP": lambda l: f"xoxp-{rd_nz(11)}-{rd_nz(11)}-{rd_nz(13)}-{rs(32, HEX)}",
    "SKLIVE": lambda l: "sk_live_" + rs(R.choice([24, 34, 99])),
    "AIZA": lambda l: end_alnum("AIza" + rs(35, B64U)),
    "OPENAI": lambda l: "sk-" + rs(20) + "T3BlbkFJ" + rs(20),
    "SGKEY": lambda l: end_alnum("SG." + rs(22, B64U) + "." + rs(43, B64U)),
    "NPM": lambda l: "npm_" + rs(36),
    "TGBOT": lambda l: end_alnum(rd_nz(10) + ":AA" + rs(33, B64U)),
    "HF": lambda l: "hf_" + rs(34, UP + LO),
    "SHPAT": lambda l: "shpat_" + rs(32, HEX),
    "MAILGUN": lambda l: "key-" + rs(32, HEX),
    "JWT": gen_jwt,
    "PRIVKEY": gen_privkey,
    "APIKEY": lambda l: R.choice([rs(32, HEX), rs(32), rs(40)]),
    "TOKEN": lambda l: rs(R.choice([32, 40, 48])),
    "AZCS": lambda l: end_alnum(rs(3) + R.choice("123456789") + "Q~" + rs(34, ALNUM + "_-.~")),
    "ALISEC": lambda l: rs(30),
}
PASSWORD_KINDS = {"PW", "PWA", "PHRASE", "PSK", "PIN"}


def gen_email(lang, person):
    f, l, rf, rl = person or pick_person(lang)
    fmt = R.choice(["{f}.{l}", "{f0}{l}", "{f}{l}{d}", "{f}_{l}", "{l}.{f}", "{f}{d}", "{f0}.{l}"])
    local = fmt.format(f=rf, l=rl, f0=rf[0], d=rd(R.randint(2, 4)))
    return f"{local}@{R.choice(DOMAINS[lang])}"


def gen_ip(lang):
    while True:
        ip = f"{R.choice(FIRST_OCTETS)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
        if ip_is_public(ip):
            return ip


def gen_ip6(lang):
    while True:
        groups = [R.choice(IP6_PREFIX)] + [format(R.getrandbits(16), "x") for _ in range(R.randint(2, 3))]
        tail = [format(R.getrandbits(16), "x") for _ in range(R.randint(1, 2))]
        ip = ":".join(groups) + "::" + ":".join(tail)
        if ip_is_public(ip):
            return str(ipaddress.ip_address(ip)) if R.random() < 0.5 else ip


def gen_any_card(lang):
    if lang in ("ru", "be") and R.random() < 0.5:
        b = "mir"
    elif lang == "zh" and R.random() < 0.6:
        b = "unionpay"
    elif lang == "ja" and R.random() < 0.5:
        b = "jcb"
    else:
        b = R.choice(["visa", "visa", "visa", "mc", "mc", "mc", "amex", "discover", "jcb", "diners"])
    return gen_card(b)


LABELLED_GEN = {
    "EMAIL": ("EMAIL_ADDRESS", None),
    "IP": ("IP_ADDRESS", None),
    "IP6": ("IP_ADDRESS", None),
    "CARD": ("CREDIT_CARD", None),
    "VISA": ("CREDIT_CARD", None),
    "MC": ("CREDIT_CARD", None),
    "AMEX": ("CREDIT_CARD", None),
    "JCB": ("CREDIT_CARD", None),
    "MIR": ("CREDIT_CARD", None),
    "UNIONPAY": ("CREDIT_CARD", None),
}
ENTITY = {k: v[0] for k, v in LABELLED_GEN.items()}
ENTITY.update({k: "SECRET" for k in SECRET_GEN})


# --------------------------------------------------------------------------
# Unlabelled value generators
# --------------------------------------------------------------------------
MONTHS_EN = "January February March April May June July August September October November December".split()
DMY_DOT = set("de pl cs sk sl hr sr ru uk be fi no da tr ro bg et lv is".split())
DMY_SLASH = set("fr es pt it el ar he vi id ms hi bn ta ur tl sw th".split())


def gen_date(lang):
    y, m, d = R.choice([2023, 2024, 2025]), R.randint(1, 12), R.randint(1, 28)
    if lang == "en":
        return f"{d} {MONTHS_EN[m - 1]} {y}"
    if lang in DMY_DOT:
        return f"{d:02d}.{m:02d}.{y}"
    if lang in DMY_SLASH:
        return f"{d:02d}/{m:02d}/{y}"
    if lang == "hu":
        return f"{y}. {m:02d}. {d:02d}."
    if lang == "nl":
        return f"{d}-{m}-{y}"
    if lang in ("ja", "zh"):
        return f"{y}年{m}月{d}日"
    if lang == "ko":
        return f"{y}. {m}. {d}."
    return f"{y}-{m:02d}-{d:02d}"


def gen_phone(lang):
    cc = CC.get(lang, "44")
    f = R.choice(["+{cc} {a} {b} {c}", "+{cc} {a}{b}{c}", "+{cc} ({a}) {b}-{c}"])
    return f.format(cc=cc, a=rd_nz(2) + rd(1), b=rd(3), c=rd(4))


def gen_privip(lang):
    return R.choice(
        [
            lambda: f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            lambda: f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            lambda: f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
        ]
    )()


def gen_docip(lang):
    return R.choice(["192.0.2", "198.51.100", "203.0.113"]) + f".{R.randint(1, 254)}"


def gen_iban(lang):
    cc = {
        "de": ("DE", 20),
        "fr": ("FR", 25),
        "es": ("ES", 22),
        "nl": ("NL", 16),
        "pl": ("PL", 26),
        "pt": ("PT", 23),
        "it": ("IT", 25),
    }.get(lang, ("DE", 20))
    code, n = cc
    if code == "NL":
        body = R.choice(["ABNA", "RABO", "INGB", "TRIO"]) + rd(10)
    elif code == "IT":
        body = R.choice(UP) + rd(22) + rs(2, UP + DG)
    else:
        body = rd(n)
    s = code + rd(2) + body
    return " ".join(s[i : i + 4] for i in range(0, len(s), 4))


def gen_maskcard(lang):
    last4 = rd(4)
    return R.choice(
        [
            f"**** **** **** {last4}",
            f"XXXX-XXXX-XXXX-{last4}",
            f"•••• •••• •••• {last4}",
            f"{R.choice(['4', '5'])}{rd(3)} {rd(2)}** **** {last4}",
            f"************{last4}",
        ]
    )


def gen_badcard(lang):
    b = R.choice(["visa", "visa", "mc", "amex", "discover"])
    d = make_card_digits(b)
    wrong = str((int(d[-1]) + R.randint(1, 9)) % 10)
    d = d[:-1] + wrong
    assert not luhn_ok(d)
    return fmt_card(d)


def gen_imei(lang):
    body = R.choice(["35", "86", "01"]) + rd(12)
    return body + luhn_digit(body)


def gen_loyalty(lang):
    body = "9" + rd(14)
    d = body + luhn_digit(body)
    return d if R.random() < 0.5 else " ".join(d[i : i + 4] for i in range(0, 16, 4))


def gen_ean(lang):
    body = R.choice(["40", "50", "76", "80", "87", "90"]) + rd(10)
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - s % 10) % 10)


def gen_isbn(lang):
    body = "978" + rd(9)
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    d = body + str((10 - s % 10) % 10)
    return f"{d[:3]}-{d[3]}-{d[4:7]}-{d[7:12]}-{d[12]}"


def gen_plate(lang):
    if lang == "de":
        return f"{R.choice(['B', 'M', 'HH', 'K', 'F', 'S', 'DO', 'HB', 'L'])}-{rs(2, UP)} {R.randint(1, 9999)}"
    if lang == "fr":
        return f"{rs(2, UP)}-{rd(3)}-{rs(2, UP)}"
    if lang == "nl":
        return f"{rs(2, UP)}-{rd(3)}-{rs(1, UP)}"
    if lang == "pl":
        return f"{R.choice(['WA', 'KR', 'PO', 'GD', 'WR'])} {rd(5)}"
    return f"{rs(3, UP)} {rd(3)}"


def gen_zip(lang):
    if lang == "en":
        return f"{R.choice(['OX', 'EC', 'SW', 'LS', 'M'])}{R.randint(1, 9)} {R.randint(1, 9)}{rs(2, 'ABDEFGHJLNPQRSTUWXYZ')}"
    if lang == "nl":
        return f"{R.randint(1000, 9999)} {rs(2, 'ABCDEGHJKLMNPRSTVWXZ')}"
    if lang == "pt":
        return f"{R.randint(1000, 9999)}-{rd(3)}"
    if lang == "ja":
        return f"{rd(3)}-{rd(4)}"
    return rd(5)


def gen_serial(lang):
    while True:
        v = rs(R.randint(10, 14), UP + DG)
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def gen_bookref(lang):
    while True:
        v = rs(6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        if any(c.isdigit() for c in v) and any(c.isalpha() for c in v):
            return v


def gen_order(lang):
    return R.choice(
        [
            lambda: rd_nz(8),
            lambda: f"ORD-{rd(7)}",
            lambda: f"{rs(2, UP)}-{R.randint(2023, 2025)}-{rd(5)}",
            lambda: f"{rd_nz(3)}-{rd(7)}-{rd(7)}",
            lambda: rd_nz(6),
        ]
    )()


def gen_track(lang):
    return R.choice(
        [
            lambda: "1Z" + rs(16, UP + DG),
            lambda: f"{rs(2, UP)}{rd(9)}{R.choice(['DE', 'FR', 'CN', 'NL', 'GB'])}",
            lambda: "JJD" + rd(18),
            lambda: "00340434" + rd(12),
            lambda: rd_nz(12),
        ]
    )()


def gen_coupon(lang):
    w = R.choice(
        [
            "SPRING",
            "SUMMER",
            "WELCOME",
            "SAVE",
            "VIP",
            "HELLO",
            "FREESHIP",
            "GRATIS",
            "PROMO",
            "HEMAT",
            "SOMMER",
            "BONUS",
        ]
    )
    return R.choice(
        [lambda: f"{w}{R.randint(5, 50)}", lambda: f"{w}-{rs(4, UP + DG)}", lambda: f"{w}{R.randint(2024, 2025)}"]
    )()


def gen_ssid(lang):
    return R.choice(
        [
            lambda: f"FRITZ!Box {R.choice(['7530', '7590', '6660'])} {rs(2, UP)}",
            lambda: f"TP-Link_{rs(4, '0123456789ABCDEF')}",
            lambda: (
                f"{R.choice(['Cafe', 'Hotel', 'Bistro', 'Library', 'Gym'])}-{R.choice(['Luna', 'Aurora', 'Central', 'Nord', 'Sol'])}-Guest"
            ),
            lambda: f"Vodafone-{rs(4, '0123456789ABCDEF')}",
            lambda: f"{R.choice(['Free', 'Guest', 'Public'])}_WiFi_{R.randint(1, 9)}F",
        ]
    )()


def gen_uuid(lang):
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


CITIES = [
    "Berlin",
    "Lyon",
    "Porto",
    "Kraków",
    "Gdańsk",
    "Leeds",
    "Graz",
    "Tampere",
    "Bergen",
    "Aarhus",
    "Brno",
    "Split",
    "Cluj-Napoca",
    "Valencia",
]
BRANDS = ["Lumora", "Kestrel", "Nordwind", "Veloza", "Orbis", "Tandem", "Quillo", "Brightwater", "Solvik", "Mirava"]

PLAIN_GEN = {
    "DATE": gen_date,
    "TIME": lambda l: f"{R.randint(7, 21):02d}:{R.randint(0, 59):02d}",
    "TIME2": lambda l: f"1:{R.randint(35, 59)}:{rd(2)}",
    "PHONE": gen_phone,
    "TICKET": lambda l: rd_nz(R.randint(5, 7)),
    "ORDER": gen_order,
    "INVNO": lambda l: R.choice(
        [f"{R.randint(2023, 2025)}-{rd(5)}", f"RE{rd(6)}", f"{rd_nz(4)}/{R.randint(2023, 2025)}"]
    ),
    "BOOKREF": gen_bookref,
    "FLIGHT": lambda l: (
        f"{R.choice(['LH', 'AF', 'BA', 'IB', 'KL', 'SK', 'AY', 'TK', 'EK', 'QR', 'KE', 'NH', 'LX', 'OS', 'AZ'])} {R.randint(100, 9999)}"
    ),
    "FLIGHTNO": lambda l: str(R.randint(100, 9999)),
    "GATE": lambda l: f"{R.choice('ABCDE')}{R.randint(1, 60)}",
    "SEAT": lambda l: f"{R.randint(1, 45)}{R.choice('ABCDEF')}",
    "EXP": lambda l: f"{R.randint(1, 12):02d}/{R.randint(26, 31)}",
    "CVV": lambda l: rd(3),
    "AUTH": lambda l: rd(6),
    "WEEK": lambda l: str(R.randint(1, 52)),
    "HEX4": lambda l: rs(4, "0123456789ABCDEF"),
    "PRIVIP": gen_privip,
    "DOCIP": gen_docip,
    "DOCIP6": lambda l: f"2001:db8:{format(R.getrandbits(16), 'x')}::{format(R.getrandbits(12), 'x')}",
    "IBAN": gen_iban,
    "BIC": lambda l: rs(4, UP) + R.choice(["DE", "FR", "ES", "NL", "PL"]) + rs(2, UP + DG),
    "MASKCARD": gen_maskcard,
    "LAST4": lambda l: rd(4),
    "BADCARD": gen_badcard,
    "IMEI": gen_imei,
    "LOYALTY": gen_loyalty,
    "SHA256": lambda l: rs(64, HEX),
    "SHA1": lambda l: rs(40, HEX),
    "MD5": lambda l: rs(32, HEX),
    "UUID": gen_uuid,
    "PLATE": gen_plate,
    "ZIP": gen_zip,
    "SERIAL": gen_serial,
    "INVENTORY": lambda l: f"INV-{rd(6)}",
    "SKU": lambda l: R.choice([f"{rs(3, UP)}-{rd(5)}", rd_nz(7)]),
    "MODELNO": lambda l: f"{rs(2, UP)}{R.randint(100, 9999)}{R.choice(['', 'X', '-B', ' Pro'])}",
    "EAN": gen_ean,
    "COUPON": gen_coupon,
    "SSID": gen_ssid,
    "VER": lambda l: f"{R.randint(1, 12)}.{R.randint(0, 20)}.{R.randint(0, 30)}",
    "BUILD": lambda l: rd_nz(R.randint(5, 8)),
    "NMIN": lambda l: str(R.randint(8, 14)),
    "NMAX": lambda l: str(R.choice([20, 32, 64, 128])),
    "NDAYS": lambda l: str(R.choice([30, 45, 60, 90, 120, 180])),
    "NHOURS": lambda l: str(R.choice([1, 2, 12, 24, 48, 72])),
    "NSMALL": lambda l: str(R.randint(2, 99)),
    "DIG1": lambda l: rd(1),
    "YEAR": lambda l: str(R.randint(2019, 2025)),
    "BRAND": lambda l: R.choice(BRANDS),
    "CITY": lambda l: R.choice(CITIES),
    "HOSTNAME": lambda l: (
        f"{R.choice(['db', 'srv', 'app', 'rpt'])}-{R.choice(['prod', 'int', 'stg'])}{R.randint(1, 9):02d}.corp.local"
    ),
    "STUDENTID": lambda l: f"{R.choice('ABCD')}{R.randint(20, 25)}{rd(5)}",
    "MEETID": lambda l: f"{rd_nz(3)} {rd(4)} {rd(4)}",
    "CASE": lambda l: f"{R.choice(['INC', 'CS', 'SR', 'REQ'])}{rd(7)}",
    "RMA": lambda l: f"RMA-{rd(6)}",
    "CUSTNO": lambda l: rd_nz(7),
    "DOI": lambda l: f"10.{R.randint(1000, 9999)}/{rs(R.randint(3, 6), LO)}.{R.randint(2015, 2025)}.{rd(4)}",
    "ISBN": gen_isbn,
    "ARXIV": lambda l: f"{R.randint(19, 25)}{R.randint(1, 12):02d}.{rd(5)}",
    "BIG6": lambda l: rd_nz(6),
    "BIG7": lambda l: rd_nz(7),
    "BIG8": lambda l: rd_nz(8),
    "BIG9": lambda l: rd_nz(9),
    "BIG10": lambda l: rd_nz(10),
    "BIG16": lambda l: rd_nz(16),
    "PERCENT": lambda l: f"{R.randint(1, 40)},{R.randint(0, 9)}",
    "TRACK": gen_track,
    "RESEMAIL": lambda l: (
        f"{R.choice(['john.doe', 'jane', 'test.user', 'noreply', 'admin', 'user' + rd(2), 'max.mustermann', 'info'])}@{R.choice(RESERVED_DOMAINS)}"
    ),
}


def gen_value(kind, lang, person):
    if kind in SECRET_GEN:
        return SECRET_GEN[kind](lang)
    if kind == "EMAIL":
        return gen_email(lang, person)
    if kind == "IP":
        return gen_ip(lang)
    if kind == "IP6":
        return gen_ip6(lang)
    if kind == "CARD":
        return gen_any_card(lang)
    if kind in ("VISA", "MC", "AMEX", "JCB", "MIR", "UNIONPAY"):
        return gen_card(
            {"VISA": "visa", "MC": "mc", "AMEX": "amex", "JCB": "jcb", "MIR": "mir", "UNIONPAY": "unionpay"}[kind]
        )
    p = person or pick_person(lang)
    if kind == "NAME":
        return full_name(lang, p)
    if kind == "FIRST":
        return p[0]
    if kind == "LAST":
        return p[1]
    if kind == "USER":
        return R.choice([p[2] + p[3][0], p[2][0] + p[3], f"{p[2]}.{p[3]}", p[3] + rd(2), f"{p[2]}_{p[3][:3]}"])
    if kind == "HANDLE":
        return p[2] + R.choice(["_", ".", ""]) + R.choice([p[3][:3], rd(2), rd(3), "official", "dev"])
    return PLAIN_GEN[kind](lang)


ALL_KINDS = set(SECRET_GEN) | set(LABELLED_GEN) | set(PLAIN_GEN) | {"NAME", "FIRST", "LAST", "USER", "HANDLE"}
PH = re.compile(r"\{\{([A-Z][A-Z0-9_]*)(?:@([a-z0-9]+))?\}\}")


def render(tpl, lang):
    """Fill placeholders left to right; return text and spans recorded at insertion time."""
    cache, persons, used = {}, {}, set()

    def fresh_person():
        for _ in range(50):
            p = pick_person(lang)
            if p[0] not in used:
                break
        used.add(p[0])
        return p

    out, spans = [], []
    pos = last = 0
    for m in PH.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        kind, tag = m.group(1), m.group(2)
        if kind not in ALL_KINDS:
            raise KeyError(f"unknown placeholder {kind}")
        if tag is not None and (kind, tag) in cache:
            val = cache[(kind, tag)]
        else:
            person = None
            if tag is not None:
                if tag not in persons:
                    persons[tag] = fresh_person()
                person = persons[tag]
            elif kind in ("NAME", "FIRST", "LAST"):
                person = fresh_person()
            val = gen_value(kind, lang, person)
            if tag is not None:
                cache[(kind, tag)] = val
        if kind in ENTITY:
            spans.append({"start": pos, "end": pos + len(val), "entity": ENTITY[kind], "_kind": kind, "_val": val})
        out.append(val)
        pos += len(val)
        last = m.end()
    out.append(tpl[last:])
    return "".join(out), spans


# --------------------------------------------------------------------------
# Scanner for unlabelled text
# --------------------------------------------------------------------------
RUN_RE = re.compile(r"\d+(?:[ -]\d+)*")
IPV6_RE = re.compile(r"(?<![0-9A-Za-z:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Za-z:])")


def is_reserved_domain(dom):
    dom = dom.lower().rstrip(".")
    if dom in ("example.com", "example.org", "example.net") or any(
        dom.endswith("." + d) for d in ("example.com", "example.org", "example.net")
    ):
        return True
    return dom.rsplit(".", 1)[-1] in ("test", "invalid", "localhost", "example")


def scan(text):
    """Return a list of findings (public IPs, brand+Luhn card numbers, non-reserved e-mails)."""
    found = []
    for m in IPV4_RE.finditer(text):
        try:
            if ip_is_public(m.group()):
                found.append(("ipv4", m.group()))
        except ValueError:
            pass
    for m in IPV6_RE.finditer(text):
        try:
            if ip_is_public(m.group()):
                found.append(("ipv6", m.group()))
        except ValueError:
            pass
    for m in RUN_RE.finditer(text):
        groups = re.split(r"[ -]", m.group())
        for i in range(len(groups)):
            s = ""
            for j in range(i, len(groups)):
                s += groups[j]
                if len(s) > 19:
                    break
                if len(s) >= 12 and card_brand(s) and luhn_ok(s):
                    found.append(("card", s))
    for m in EMAIL_RE.finditer(text):
        if not is_reserved_domain(m.group().split("@", 1)[1]):
            found.append(("email", m.group()))
    return found


def unlabelled_view(text, spans):
    parts, last = [], 0
    for s in spans:
        parts.append(text[last : s["start"]])
        parts.append("\x00")
        last = s["end"]
    parts.append(text[last:])
    return "".join(parts)


# --------------------------------------------------------------------------
# Positive templates (lang, context, text)
# --------------------------------------------------------------------------
POS = []


def P(lang, ctx, text):
    POS.append((lang, ctx, text.strip("\n")))


# ---- English ----
P(
    "en",
    "slack_chat",
    """
[09:14] {{FIRST@a}}: staging is back up btw
[09:15] {{FIRST@b}}: nice. what's the login for the box?
[09:15] {{FIRST@a}}: ssh as {{USER@a}} to {{IP}}, password is {{PW}}
[09:16] {{FIRST@b}}: and grafana?
[09:16] {{FIRST@a}}: admin / {{PW}} (pls don't paste it in #general again 🙃)
""",
)
P(
    "en",
    "email_reply",
    """
Hi {{FIRST@a}},

Thanks, that worked. I've also added {{EMAIL}} to the payroll distribution list.

Best,
{{NAME@b}}

On {{DATE}}, {{NAME@a}} <{{EMAIL@a}}> wrote:
> Your temporary password for the HR portal is {{PW}}
> Please change it after the first login. If the portal is down, the fallback
> account is hr-temp ({{PW}}).
""",
)
P(
    "en",
    "helpdesk_ticket",
    """
Ticket #{{TICKET}} · VPN won't connect
Reporter: {{NAME@a}} ({{EMAIL@a}})
Priority: High

Since this morning the VPN client refuses to connect to the gateway at {{IP}}. I re-entered my credentials twice (user {{USER@a}}, pwd {{PW}}) and it still says "authentication failed". Could someone check whether my account is locked?
""",
)
P(
    "en",
    "classroom_handout",
    """
CS101 · Lab 3: Getting started on the cluster

Log in to the cluster head node at {{IP}} with the account for your seat. You will be asked to choose a new password at first login.

Seat | Username | Initial password
-----|----------|-----------------
1    | lab03-01 | {{PW}}
2    | lab03-02 | {{PW}}
3    | lab03-03 | {{PW}}
4    | lab03-04 | {{PW}}

Questions go to the TA, {{NAME@t}} ({{EMAIL@t}}).
""",
)
P(
    "en",
    "admin_handover",
    """
Handover notes, infra on-call (week {{WEEK}})
- Backup server: {{IP}}, root login disabled, use {{USER}}
- {{PW}} is the sudo password for that user; rotate it after the audit
- Reporting DB: postgres://report:{{PWA}}@db-main.internal:5432/prod
- S3 deploy credentials: {{AKIA}} / {{AWSSEC}}
- Alerts go to {{EMAIL}}; escalate to {{NAME}} after 30 min
""",
)
P(
    "en",
    "receipt",
    """
NORTHGATE OUTDOOR SUPPLIES
Order {{ORDER}} · {{DATE}}

2 x Merino trail socks        18.00
1 x Packable rain shell      129.00
Subtotal                     147.00
VAT included                  24.50

Paid by card: {{CARD}}
Approval code: {{AUTH}}
Questions? Write to {{EMAIL}}
""",
)
P(
    "en",
    "qa_post",
    """
Q: Access denied when connecting to MySQL from Python

I keep getting "Access denied for user 'shop'" although I'm sure the password is right. Relevant part of my config:

DB_HOST = "{{IP}}"
DB_USER = "shop"
DB_PASS = "{{PW}}"

I also reset it with ALTER USER ... IDENTIFIED BY '{{PW}}' and restarted the service. Same error. What am I missing?
""",
)
P(
    "en",
    "onboarding_letter",
    """
Welcome to Brightwater Labs, {{FIRST@a}}!

Your accounts are ready:
• Email: {{EMAIL@a}}
• Temporary password: {{PW@p}} (valid for 72 hours)
• Door keypad code, 3rd floor: {{PIN}}

Use {{PW@p}} to log in to the staff Wi-Fi (BW-Staff) as well until you've set your own password.

See you on Monday,
{{NAME}}, People Team
""",
)
P(
    "en",
    "irc_log",
    """
[22:03] <{{HANDLE@a}}> anyone know why my bot gets 401 from the telegram api?
[22:04] <{{HANDLE@b}}> paste your config (minus secrets)
[22:04] <{{HANDLE@a}}> bot_token = {{TGBOT}}
[22:05] <{{HANDLE@b}}> ...that IS the secret. revoke it with BotFather right now
[22:05] <{{HANDLE@a}}> oh no
""",
)
P(
    "en",
    "wiki_markdown_table",
    """
## Shared service accounts (team only)

| Service    | Host   | User     | Password / token |
|------------|--------|----------|------------------|
| Jenkins    | {{IP}} | ci-admin | {{PW}} |
| Grafana    | {{IP}} | viewer   | {{PW}} |
| GitHub bot | n/a    | ops-bot  | {{GHP}} |
| SendGrid   | n/a    | apikey   | {{SGKEY}} |

Owner: {{NAME}}. Last rotated {{DATE}}.
""",
)
P(
    "en",
    "pdf_text",
    """
KESTREL FACILITY SERVICES · Contractor access sheet              Page 1 of 2

Contractors working on site must sign in at reception. The tempo-
rary badge PIN issued for this visit is {{PIN}}; the guest net-
work key is {{PSK}}.

Site contact: {{NAME@a}}, {{EMAIL@a}}

Confidential · do not distribute                                   {{DATE}}
""",
)
P(
    "en",
    "sms",
    """
Welcome to FibreOne! Your router is set up. Wi-Fi: FibreOne-{{HEX4}} / key {{PSK}}. Router admin at 192.168.1.1, user admin, pwd {{PW}}. Reply HELP for support.
""",
)
P(
    "en",
    "social_media_post",
    """
my flatmate wrote our new wifi password on the fridge in permanent marker 🙄 "{{PSK}}" is now part of the kitchen decor forever #flatlife #landlordproblems
""",
)
P(
    "en",
    "bank_notice",
    """
Dear {{NAME}},

Your replacement card has been dispatched. For your records:
Card number: {{CARD}}
Valid thru: {{EXP}}

Your PIN will follow in a separate letter. If you did not request a replacement, call us immediately on {{PHONE}}.

Customer Services, Harbour Mutual Bank
""",
)
P(
    "en",
    "whatsapp_chat",
    """
[13:02] {{FIRST@a}}: can you book the tickets? use my card, I'm stuck in a meeting
[13:02] {{FIRST@a}}: {{CARD}} exp {{EXP}} cvv {{CVV}}
[13:05] {{FIRST@b}}: done, confirmation went to {{EMAIL@a}}
""",
)
P(
    "en",
    "qa_post",
    """
Q: Getting 401 from our API even though the JWT looks fine

This is the header I'm sending (token from staging):

Authorization: Bearer {{JWT}}

The API sits behind nginx on {{IP}}. Any idea why it's rejected?
""",
)
P(
    "en",
    "admin_handover",
    """
Notes for {{FIRST}} while I'm on leave:

The deploy key for the build box ({{IP}}) is below. Put it in ~/.ssh/id_ed25519 and chmod 600.

{{PRIVKEY}}

The passphrase for it is {{PHRASE}}.
""",
)
P(
    "en",
    "html_table",
    """
<table>
  <tr><th>Account</th><th>Login</th><th>Password</th></tr>
  <tr><td>Office 365 (shared)</td><td>{{EMAIL}}</td><td>{{PW}}</td></tr>
  <tr><td>Router</td><td>admin</td><td>{{PW}}</td></tr>
  <tr><td>Alarm panel</td><td>installer</td><td>{{PIN}}</td></tr>
</table>
""",
)
P(
    "en",
    "qa_post",
    """
Celery worker can't connect to Redis

My broker URL is redis://default:{{PWA@r}}@{{IP}}:6379/0 and the worker keeps logging "Connection refused". redis-cli from the same machine works fine with -a {{PWA@r}}, so the password can't be the problem. Firewall?
""",
)
P(
    "en",
    "slack_chat",
    """
[16:20] {{FIRST@a}}: the new vpn profile is in your inbox
[16:21] {{FIRST@b}}: which creds do I use?
[16:21] {{FIRST@a}}: your usual username, connect with {{PW}} the first time and it'll ask you to change it
""",
)
P(
    "en",
    "email",
    """
Hi {{FIRST}},

For the chatbot prototype you can use the team key until procurement sorts out your own: {{OPENAI}}

The Hugging Face token for pulling the private models is {{HF}}. Please don't commit either of them.

Cheers,
{{NAME@a}}
{{EMAIL@a}}
""",
)
P(
    "en",
    "meeting_notes",
    """
Sprint 14 retro · {{DATE}}
Attendees: {{NAME}}, {{NAME}}, {{NAME}}

Action items
- {{FIRST@o}} to rotate the Azure app client secret (current one: {{AZCS}}) before it expires
- Move the webhook signing secret ({{TOKEN}}) into Key Vault
- Ask {{EMAIL}} about the SSO certificate
""",
)
P(
    "en",
    "email",
    """
Subject: Re: access to the shared mailbox

Hi {{FIRST@a}},

Username:
{{EMAIL}}
Password:
{{PW}}

Let me know if it doesn't work.
{{NAME@b}}
""",
)

# ---- German ----
P(
    "de",
    "whatsapp_chat",
    """
[{{DATE@d}}, 18:42] {{FIRST@a}}: Schatz, wie war nochmal das WLAN-Passwort bei deinen Eltern?
[{{DATE@d}}, 18:44] {{FIRST@b}}: {{PSK}}
[{{DATE@d}}, 18:44] {{FIRST@b}}: Groß- und Kleinschreibung beachten 😉
[{{DATE@d}}, 18:45] {{FIRST@a}}: Danke! Und der Streaming-Login? Mail ist {{EMAIL@b}}, oder?
[{{DATE@d}}, 18:47] {{FIRST@b}}: Genau, Passwort {{PW}}
""",
)
P(
    "de",
    "onboarding_letter",
    """
Hallo {{FIRST@a}},

herzlich willkommen im Team! Hier deine Zugangsdaten für den ersten Arbeitstag:

Benutzername: {{USER@a}}
Kennwort: {{PW}}
E-Mail: {{EMAIL@a}}

Bitte ändere das Kennwort nach der ersten Anmeldung. {{PIN}} ist dein persönlicher Code für das Zeiterfassungsterminal am Eingang.

Viele Grüße
{{NAME}}
IT-Service
""",
)
P(
    "de",
    "admin_handover",
    """
Übergabe Serverbetreuung (Stand {{DATE}})

* Webserver: {{IP}} (SSH auf Port 2222), Benutzer deploy, PW: {{PW}}
* Datenbank läuft auf {{IP}}, root-Kennw. {{PW}}
* {{PW}} ist das neue Passwort für das Hosting-Panel (letzte Woche geändert)
* Backup-Bucket: Access Key {{AKIA}}, Secret {{AWSSEC}}
* Ansprechpartner beim Hoster: {{EMAIL}}
""",
)
P(
    "de",
    "email_reply",
    """
Betreff: AW: Fernwartung Kasse Filiale Süd

Hallo zusammen,

ich habe mich per RDP auf {{IP}} verbunden (admin / {{PW}}), der Kassendienst läuft wieder. Bitte das Kennwort nach dem Einsatz ändern, es stand ja im Ticket.

Gruß
{{NAME}}

-----Ursprüngliche Nachricht-----
Von: {{NAME@x}} <{{EMAIL@x}}>
Gesendet: {{DATE}}
Betreff: Fernwartung Kasse Filiale Süd

Die Kasse startet nicht mehr, bitte dringend prüfen.
""",
)
P(
    "de",
    "forum_post",
    """
Re: Fernzugang zur Box klappt nicht

Hab's jetzt so gemacht, wie du geschrieben hast. Die Adresse zeigt auf {{IP}}, Benutzer „fernzugriff“ mit Kennwort „{{PW}}“. Trotzdem kommt beim Verbinden „Zugriff verweigert“. Muss ich noch irgendwo was freischalten?
""",
)
P(
    "de",
    "invoice",
    """
RECHNUNG Nr. {{INVNO}}
Datum: {{DATE}}

Pos.  Beschreibung                 Menge  Preis
1     Webhosting Paket M           12     5,99 €
2     Domain (.de)                 1      9,00 €

Gesamtbetrag: 80,88 €
Bezahlt per Kreditkarte {{MC}}.

Bei Rückfragen erreichen Sie uns unter {{EMAIL}}.
""",
)
P(
    "de",
    "pdf_text",
    """
Stadtwerke Nordheim · Schulungsunterlage IT-Grundlagen           Seite 3

Für die Übungen steht jedem Teilnehmenden ein eigenes Konto zur Ver-
fügung. Das Startpass-
wort lautet {{PW}} und muss bei der ersten Anmeldung geändert wer-
den. Der Schulungsserver ist unter {{IP}} erreichbar.

Stand: {{DATE}}                              Nur für den internen Gebrauch
""",
)
P(
    "de",
    "meeting_notes",
    """
Protokoll Jour fixe Marketing, {{DATE}}
Teilnehmende: {{NAME}}, {{NAME}}, {{NAME}}

TOP 1 Newsletter
- Neuer API-Schlüssel fürs Versandtool: {{APIKEY}} (liegt auch im Passwortmanager)
- Zugang für die Agentur: {{EMAIL}}, Passwort ({{PW}}) wurde per Signal verschickt
TOP 2 Messe
- Standnummer und Parkausweise kommen nächste Woche
""",
)
P(
    "de",
    "telegram_chat",
    """
{{FIRST@a}}, [19:02]
kannst du mir kurz die Daten für den Vereins-Account schicken?
{{FIRST@b}}, [19:05]
Login: {{EMAIL}}
Passwort:
{{PW}}
{{FIRST@b}}, [19:06]
und bitte nicht wieder ändern 😅
""",
)
P(
    "de",
    "travel_booking",
    """
Buchungsbestätigung Bahnreise
Auftragsnummer: {{ORDER}}
Reisende/r: {{NAME@a}}
Hinfahrt: {{DATE}}, Hamburg Hbf → München Hbf

Zahlungsart: Kreditkarte {{CARD}}
Die Bestätigung wurde an {{EMAIL@a}} gesendet.
""",
)
P(
    "de",
    "slack_chat",
    """
{{FIRST@a}}  11:47
Der npm-Publish in der Pipeline schlägt fehl, hat jemand den neuen Token?
{{FIRST@b}}  11:49
{{NPM}}
{{FIRST@b}}  11:49
ist schon als Secret hinterlegt, musst nur den Job neu starten
""",
)

# ---- French ----
P(
    "fr",
    "email",
    """
Bonjour {{FIRST@a}},

Comme convenu au téléphone, voici vos accès à l'espace client du cabinet :
identifiant : {{USER@a}}
mot de passe : {{PW}}

Votre adresse {{EMAIL@a}} est déjà active ; le mdp provisoire de la messagerie est « {{PW}} ».

Bien cordialement,
{{NAME}}
Cabinet Morel & Associés
""",
)
P(
    "fr",
    "slack_chat",
    """
{{FIRST@a}}  10:02
quelqu'un a le mdp du compte Canva de l'équipe ?
{{FIRST@b}}  10:03
login {{EMAIL}}, mdp {{PW}}
{{FIRST@a}}  10:03
merci !! 🙏
""",
)
P(
    "fr",
    "hotel_booking",
    """
Confirmation de réservation n° {{BOOKREF}}
Hôtel Les Tilleuls · Annecy
Arrivée : {{DATE}} · Départ : {{DATE}}
Client : {{NAME@a}} ({{EMAIL@a}})

Garantie : carte {{CARD}}, exp. {{EXP}}
Wi-Fi des chambres : TILLEULS-CLIENTS, code {{PSK}}
Arrivée tardive : le code de la boîte à clés est {{PIN}}.
""",
)
P(
    "fr",
    "forum_post",
    """
Salut à tous,
j'ai une box fibre et je n'arrive plus à me connecter à l'interface d'admin. Le mot de passe par défaut (les 8 premiers caractères de la clé Wi-Fi) ne marche pas, et celui que j'avais mis il y a quelques mois ({{PW}}) non plus. Mon IP publique est {{IP}} si ça peut aider… Merci d'avance !
""",
)
P(
    "fr",
    "admin_handover",
    """
Passation · serveurs de l'asso (mise à jour du {{DATE}})

1. VPS : {{IP}} / {{IP6}}
   - root désactivé, utiliser le compte « gestion » (mdp : {{PW}})
2. Base MariaDB : utilisateur wp_asso, mot de passe {{PWA}}
3. Clé API Stripe (prod) : {{SKLIVE}}
4. Le compte du registrar est au nom de {{NAME@a}} · {{EMAIL@a}}
""",
)
P(
    "fr",
    "latex_handout",
    r"""
\section*{TP 2 -- Comptes de la salle B204}
Connectez-vous au serveur \texttt{{{IP}}} avec le compte de votre poste.

\begin{tabular}{|l|l|l|}
\hline
Poste & Identifiant & Mot de passe \\
\hline
B204-01 & etu01 & \texttt{{{PWA}}} \\
B204-02 & etu02 & \texttt{{{PWA}}} \\
B204-03 & etu03 & \texttt{{{PWA}}} \\
\hline
\end{tabular}
""",
)
P(
    "fr",
    "sms",
    """
Bienvenue chez FibreNet ! Votre box : réseau FN-{{HEX4}}, clé WPA {{PSK}}. Espace client : identifiant {{USER}}, mot de passe {{PW}}. Conservez ce message.
""",
)
P(
    "fr",
    "meeting_notes",
    """
Compte rendu, réunion d'équipe du {{DATE}}
Présents : {{NAME}}, {{NAME}}, {{NAME}}

- Le nouveau compte partagé pour les réseaux sociaux est {{EMAIL}} ; {{PW}} est le mot de passe (à ne pas modifier sans prévenir).
- Jeton d'accès GitLab pour la CI : {{GLPAT}}
- Prochaine réunion dans deux semaines.
""",
)
P(
    "fr",
    "invoice",
    """
FACTURE N° {{INVNO}}
Date : {{DATE}}

Désignation                 Qté   Montant TTC
Abonnement logiciel         1     348,00 €
Formation en ligne          2     190,00 €
Total TTC                         538,00 €

Réglé par carte bancaire {{CARD}} le {{DATE}}.
Contact facturation : {{EMAIL}}
""",
)
P(
    "fr",
    "email",
    """
Bonjour,

Suite à la migration de la boutique, voici le jeton d'accès Admin API : {{SHPAT}}
Et la clé Mailgun pour les e-mails transactionnels : {{MAILGUN}}

Merci de les stocker dans le coffre-fort et non dans le dépôt.
{{NAME@a}} · {{EMAIL@a}}
""",
)

# ---- Spanish ----
P(
    "es",
    "whatsapp_chat",
    """
{{DATE@d}} 21:10 - {{FIRST@a}}: oye, ¿me pasas la contraseña del wifi de la ofi?
{{DATE@d}} 21:11 - {{FIRST@b}}: claro: {{PSK}}
{{DATE@d}} 21:11 - {{FIRST@b}}: y la del router (usuario admin) es {{PW}}
{{DATE@d}} 21:12 - {{FIRST@a}}: genial, ¡gracias!
""",
)
P(
    "es",
    "helpdesk_ticket",
    """
Incidencia #{{TICKET}}
Usuario: {{NAME@a}} <{{EMAIL@a}}>
Asunto: No puedo entrar al ERP

Buenos días: desde ayer el ERP me dice "usuario bloqueado". Mi usuario es {{USER@a}} y la contr. que uso es {{PW}}. Ya lo probé desde otro ordenador. ¿Me lo podéis desbloquear?
""",
)
P(
    "es",
    "order_confirmation",
    """
¡Gracias por tu pedido, {{FIRST@a}}!

Pedido n.º {{ORDER}} · {{DATE}}
Método de pago: Mastercard {{MC}}
Enviaremos la factura a {{EMAIL@a}}.

Hemos creado tu cuenta de cliente automáticamente. Contraseña provisional: {{PW}}
""",
)
P(
    "es",
    "mediawiki_table",
    """
== Accesos del laboratorio ==
{| class="wikitable"
! Equipo !! IP !! Usuario !! Contraseña
|-
| Servidor de cálculo || {{IP}} || lab || {{PW}}
|-
| NAS || {{PRIVIP}} || admin || {{PW}}
|-
| Impresora 3D || {{PRIVIP}} || maker || {{PW}}
|}
Última revisión: {{DATE}}, {{NAME}}.
""",
)
P(
    "es",
    "email_signature",
    """
Hola {{FIRST}}:

Te dejo el token de la API de facturación para las pruebas: {{APIKEY}}. Es el de producción, así que no lo subas al repositorio, porfa.

Un saludo,
--
{{NAME@s}}
Responsable de Sistemas · Grupo Levante
{{EMAIL@s}} · Tel. {{PHONE}}
""",
)
P(
    "es",
    "social_media_post",
    """
Mi abuela me acaba de mandar por WhatsApp la contraseña del banco ("{{PW}}") para que le mire una transferencia 😂😂 abuela, así NO. Mañana le enseño a usar un gestor de contraseñas.
""",
)
P(
    "es",
    "travel_booking",
    """
Reserva confirmada · vuelo IB{{FLIGHTNO}} Madrid → Lima
Localizador: {{BOOKREF}}
Pasajero: {{NAME@a}}
Pago: VISA {{VISA}}

Gestiona tu reserva en "Mis viajes" con {{EMAIL@a}} y la contraseña {{PW}}.
""",
)
P(
    "es",
    "bank_notice",
    """
Estimado/a {{NAME}}:

Le informamos de que su nueva tarjeta {{CARD}} ya está activa. Fecha de caducidad: {{EXP}}.
Para consultar sus movimientos, acceda a la banca online con su usuario habitual.

Atentamente,
Banco del Sur
""",
)
P(
    "es",
    "forum_post",
    """
Hola, estoy integrando la API de mapas de Google en mi web y me sale "RefererNotAllowedMapError". Mi clave es {{AIZA}} y la tengo restringida a mi dominio. ¿Alguien sabe qué puede estar mal?
""",
)

# ---- Portuguese ----
P(
    "pt",
    "email",
    """
Olá {{FIRST}}, tudo bem?

Segue o acesso ao painel da loja:
login: {{EMAIL}}
senha: {{PW@s}}

A senha do FTP é a mesma do cPanel ({{PW@s}}), host {{IP}}, porta 21.

Abs,
{{NAME}}
""",
)
P(
    "pt",
    "whatsapp_chat",
    """
[20:31] {{FIRST@a}}: amor, qual é a senha do wifi da casa da praia?
[20:33] {{FIRST@b}}: {{PSK}}
[20:33] {{FIRST@b}}: e o cartão pra pagar o gás é o {{CARD}}, validade {{EXP}}
[20:34] {{FIRST@a}}: anotado 👍
""",
)
P(
    "pt",
    "helpdesk_ticket",
    """
Pedido de suporte n.º {{TICKET}}
Cliente: {{NAME@a}} ({{EMAIL@a}})

Boa tarde. Não consigo aceder ao webmail desde que mudei a palavra-passe para {{PW}}. O servidor SMTP configurado é {{IP}}, porta 587. Obrigado.
""",
)
P(
    "pt",
    "receipt",
    """
FATURA-RECIBO FR {{INVNO}}
Padaria Estrela do Norte · {{DATE}}

2 Pastel de nata        2,40
1 Café                  0,80
Total                   3,20 EUR

Pago com cartão {{CARD}}
Obrigado pela preferência!
""",
)
P(
    "pt",
    "csv_export",
    """
aluno,usuario,senha,email
{{NAME}},aluno01,{{PWA}},{{EMAIL}}
{{NAME}},aluno02,{{PWA}},{{EMAIL}}
{{NAME}},aluno03,{{PWA}},{{EMAIL}}
""",
)
P(
    "pt",
    "forum_post",
    """
Pessoal, alguém sabe por que o Git fica pedindo senha toda hora? Já configurei o token ({{GHP}}) no gerenciador de credenciais, mas quando dou push aparece de novo a tela de login. Uso Windows 11.
""",
)
P(
    "pt",
    "email",
    """
Oi {{FIRST}},

Token novo do GitHub (fine-grained) pra automação do deploy: {{GHPAT}}
O token do Slack (xoxp) continua o mesmo: {{XOXP}}

Valeu,
{{NAME}}
""",
)

# ---- Italian ----
P(
    "it",
    "email",
    """
Ciao {{FIRST}},

ti giro le credenziali del gestionale per la sostituzione di agosto:
utente: {{USER}}
password: {{PW}}

Per la VPN usa invece {{PW}} (sì, è diversa, lo so 🙃). Il server è {{IP}}.

Buone ferie!
{{NAME}}
""",
)
P(
    "it",
    "telegram_chat",
    """
{{FIRST@a}}, [11:20]
mi ricordi la pass del router del negozio?
{{FIRST@b}}, [11:22]
admin / {{PW}}
{{FIRST@b}}, [11:22]
la rete per i clienti invece è senza password
""",
)
P(
    "it",
    "admin_handover",
    """
Passaggio di consegne · sistemi (aggiornato al {{DATE}})
- Server posta: {{IP}}, accesso SSH con chiave; utente di servizio backup, password {{PW}}
- Token API del CRM: {{TOKEN}}
- Pannello DNS: account {{EMAIL}}, password {{PW}}
- In caso di problemi chiamare {{NAME}}
""",
)
P(
    "it",
    "invoice",
    """
FATTURA N. {{INVNO}} del {{DATE}}
Ferramenta Colombo S.r.l.

Descrizione                  Q.tà   Importo
Trapano a percussione        1      89,90
Set punte legno              2      25,80
Totale documento                    115,70 €

Pagamento: carta di credito {{CARD}}
Per informazioni: {{EMAIL}}
""",
)
P(
    "it",
    "forum_post",
    """
Ciao a tutti, ho un problema con la configurazione di Nextcloud. Nel config.php ho messo 'dbpassword' => '{{PW}}' e 'dbhost' => '{{IP}}', ma all'avvio ricevo "Errore interno del server". Qualcuno ha idea di cosa controllare?
""",
)
P(
    "it",
    "travel_booking",
    """
Conferma prenotazione volo AZ{{FLIGHTNO}}
Codice prenotazione (PNR): {{BOOKREF}}
Passeggero: {{NAME@a}}
Pagamento: carta {{CARD}}
Ricevuta inviata a {{EMAIL@a}}
""",
)

# ---- Dutch ----
P(
    "nl",
    "email",
    """
Hoi {{FIRST}},

Hierbij de inloggegevens voor het klantportaal:
gebruikersnaam: {{USER}}
wachtwoord: {{PW}}

Wil je het ww na de eerste keer inloggen wijzigen? Vragen kun je mailen naar {{EMAIL}}.

Groet,
{{NAME}}
""",
)
P(
    "nl",
    "whatsapp_chat",
    """
[{{DATE@d}} 08:12] {{FIRST@a}}: Wat is de code van het sleutelkastje bij het vakantiehuis?
[{{DATE@d}} 08:15] {{FIRST@b}}: {{PIN}}
[{{DATE@d}} 08:15] {{FIRST@b}}: wifi heet Duinzicht, wachtwoord {{PSK}}
""",
)
P(
    "nl",
    "helpdesk_ticket",
    """
Melding {{TICKET}} · Outlook vraagt steeds om wachtwoord
Melder: {{NAME@a}} ({{EMAIL@a}})

Sinds de update blijft Outlook om mijn wachtwoord vragen. Ik vul steeds {{PW}} in (dat klopt, want webmail werkt er wel mee). Kunnen jullie even meekijken?
""",
)
P(
    "nl",
    "receipt",
    """
Fietsenplein Utrecht
Bon {{ORDER}} · {{DATE}}

1x Fietsslot ART-2       49,95
1x Achterlicht LED       17,50
Totaal                   67,45

Betaald met creditcard {{CARD}}
Bedankt en tot ziens!
""",
)
P(
    "nl",
    "spreadsheet_paste",
    """
Naam\tAfdeling\tGebruiker\tTijdelijk wachtwoord
{{NAME}}\tVerkoop\t{{USER}}\t{{PW}}
{{NAME}}\tMagazijn\t{{USER}}\t{{PW}}
{{NAME}}\tAdministratie\t{{USER}}\t{{PW}}
""",
)

# ---- Swedish ----
P(
    "sv",
    "email",
    """
Hej {{FIRST}}!

Välkommen till Nordkust! Här är dina inloggningsuppgifter:
Användarnamn: {{USER}}
Lösenord: {{PW}}

Lösenordet till kontorets wifi är {{PSK}}. Hör av dig till {{EMAIL}} om något krånglar.

Hälsningar
{{NAME}}
""",
)
P(
    "sv",
    "slack_chat",
    """
{{FIRST@a}}  14:05
har någon lösen till testmiljön? min gamla funkar inte
{{FIRST@b}}  14:06
testadmin / {{PW}}
{{FIRST@b}}  14:06
servern ligger på {{IP}} nu, inte den gamla
""",
)
P(
    "sv",
    "meeting_notes",
    """
Mötesanteckningar styrelsemöte {{DATE}}
Närvarande: {{NAME}}, {{NAME}}, {{NAME}}

§4 Föreningens konton
Kassören har bytt lösenord till föreningens bokföringsprogram. Det nya lösenordet ({{PW}}) förvaras i kassaskåpet. Föreningens e-post är numera {{EMAIL}}.
""",
)
P(
    "sv",
    "hotel_booking",
    """
Bokningsbekräftelse {{BOOKREF}}
Hotell Strandgården, Visby
Gäst: {{NAME@a}}, {{EMAIL@a}}
Incheckning: {{DATE}}

Kort för garanti: {{CARD}}
Koden till entrén efter kl. 22 är {{PIN}}.
""",
)
P(
    "sv",
    "fixed_width_table",
    """
KONTO          SYSTEM        LÖSENORD
-------------- ------------- ------------------
ekonomi01      Fortnox       {{PW}}
lager02        WMS           {{PW}}
kassa03        Kassa         {{PW}}
""",
)

# ---- Danish ----
P(
    "da",
    "email",
    """
Hej {{FIRST}}

Her er adgangskoden til lønsystemet: {{PW}}
Brugernavnet er din mailadresse ({{EMAIL}}).

Husk at skifte koden første gang, du logger ind.

Venlig hilsen
{{NAME}}
""",
)
P(
    "da",
    "sms",
    """
Din nye adgangskode til Min Side er {{PW}}. Den udløber om 24 timer. Har du ikke bedt om en ny kode, så ring til os på {{PHONE}}.
""",
)
P(
    "da",
    "forum_post",
    """
Hej alle. Min NAS kan ikke forbinde til min VPN-udbyder. Jeg har sat serveradressen til {{IP}} og brugt min adgangskode {{PW}}, men loggen siger bare "auth failed". Er der nogen, der har prøvet det samme?
""",
)

# ---- Norwegian ----
P(
    "no",
    "email",
    """
Hei {{FIRST}},

Her er påloggingen til hyttebookingen:
bruker: {{EMAIL}}
passord: {{PW}}

Koden til nøkkelboksen er {{PIN}}. God tur!

Hilsen {{NAME}}
""",
)
P(
    "no",
    "slack_chat",
    """
{{FIRST@a}}  09:40
noen som vet passordet til Jira-servicekontoen?
{{FIRST@b}}  09:41
{{PW}} er passordet, brukernavn jira-svc
{{FIRST@b}}  09:41
og API-tokenet ligger her: {{TOKEN}}
""",
)
P(
    "no",
    "admin_handover",
    """
Overlevering drift, {{DATE}}
- Brannmur: administreres fra {{IP}}, bruker fwadmin, passord {{PW}}
- Offsite-backup: {{IP}}, SFTP-bruker backup, pw {{PW}}
- Varsler sendes til {{EMAIL}}
""",
)

# ---- Finnish ----
P(
    "fi",
    "email",
    """
Hei {{FIRST}},

tässä tunnuksesi opiskelijaportaaliin:
käyttäjätunnus: {{USER}}
salasana: {{PW}}

Vaihda salasana ensimmäisen kirjautumisen yhteydessä. Lisätietoja: {{EMAIL}}

Terveisin
{{NAME}}
""",
)
P(
    "fi",
    "whatsapp_chat",
    """
[{{DATE@d}} klo 17.02] {{FIRST@a}}: mikä on mökin wifin salasana?
[{{DATE@d}} klo 17.05] {{FIRST@b}}: {{PSK}}
[{{DATE@d}} klo 17.05] {{FIRST@b}}: ja saunan lämmityssovellukseen pääsee salasanalla {{PW}}
""",
)
P(
    "fi",
    "helpdesk_ticket",
    """
Tiketti {{TICKET}}: VPN ei yhdistä
Ilmoittaja: {{NAME@a}} <{{EMAIL@a}}>

VPN-yhteys palvelimeen {{IP}} katkeaa heti. Käytän tunnusta {{USER@a}} ja salasanaa {{PW}}. Voisitteko tarkistaa, onko tunnus lukittu?
""",
)
P(
    "fi",
    "tsv_export",
    """
nimi\ttunnus\tsalasana\tsähköposti
{{NAME}}\tlab01\t{{PW}}\t{{EMAIL}}
{{NAME}}\tlab02\t{{PW}}\t{{EMAIL}}
{{NAME}}\tlab03\t{{PW}}\t{{EMAIL}}
""",
)

# ---- Icelandic ----
P(
    "is",
    "email",
    """
Sæl/l {{FIRST}},

hér eru aðgangsupplýsingarnar þínar að kerfinu:
notandanafn: {{USER}}
lykilorð: {{PW}}

Vinsamlegast breyttu lykilorðinu við fyrstu innskráningu. Ef eitthvað kemur upp má senda póst á {{EMAIL}}.

Kveðja,
{{NAME}}
""",
)
P(
    "is",
    "sms",
    """
Lykilorðið að þráðlausa netinu í sumarbústaðnum er {{PSK}}. Hliðið opnast með kóðanum {{PIN}}. Góða ferð!
""",
)
P(
    "is",
    "slack_chat",
    """
{{FIRST@a}}  13:12
hvert er lykilorðið á prentþjóninum?
{{FIRST@b}}  13:13
{{PW}} og notandinn er prent
{{FIRST@b}}  13:13
þjónninn er á {{IP}}
""",
)

# ---- Polish ----
P(
    "pl",
    "email",
    """
Cześć {{FIRST}},

przesyłam dane do logowania do panelu sklepu:
login: {{USER}}
hasło: {{PW}}

Tymczasowe hasło do skrzynki {{EMAIL}} to {{PW}}, zmień je proszę po zalogowaniu.

Pozdrawiam
{{NAME}}
""",
)
P(
    "pl",
    "whatsapp_chat",
    """
[19:02] {{FIRST@a}}: jakie jest hasło do wifi u babci?
[19:04] {{FIRST@b}}: {{PSK}}
[19:04] {{FIRST@b}}: a kod do furtki {{PIN}}
""",
)
P(
    "pl",
    "helpdesk_ticket",
    """
Zgłoszenie nr {{TICKET}}
Od: {{NAME@a}} <{{EMAIL@a}}>
Temat: Brak dostępu do serwera plików

Dzień dobry, od rana nie mogę połączyć się z serwerem {{IP}}. Próbowałem loginu {{USER@a}} i hasła {{PW}}, ale dostaję komunikat o błędnych danych. Proszę o pomoc.
""",
)
P(
    "pl",
    "invoice",
    """
FAKTURA VAT nr {{INVNO}}
Data wystawienia: {{DATE}}

Lp. Nazwa usługi               Ilość  Wartość brutto
1   Abonament hostingowy       1      246,00 zł
2   Certyfikat SSL             1      123,00 zł
Razem do zapłaty:                      369,00 zł

Zapłacono kartą: {{CARD}}
Kontakt: {{EMAIL}}
""",
)
P(
    "pl",
    "slack_chat",
    """
{{FIRST@a}}  10:33
ktoś ma token do GitLaba dla runnera?
{{FIRST@b}}  10:34
{{GLPAT}}
{{FIRST@b}}  10:34
ważny do końca miesiąca
""",
)

# ---- Czech ----
P(
    "cs",
    "email",
    """
Dobrý den,

posílám přístupové údaje do intranetu:
uživatelské jméno: {{USER}}
heslo: {{PW}}

Heslo si prosím po prvním přihlášení změňte. V případě potíží pište na {{EMAIL}}.

S pozdravem
{{NAME}}
""",
)
P(
    "cs",
    "forum_post",
    """
Ahoj, řeším problém s připojením k databázi. V konfiguraci mám host {{IP}}, uživatel app a heslo {{PW}}, ale pořád dostávám "Access denied". Nevíte, kde může být chyba?
""",
)
P(
    "cs",
    "admin_handover",
    """
Předávací protokol · servery ({{DATE}})
1. Hlavní server: {{IP}}, účet spravce, heslo {{PW}}
2. Záložní server: {{IP}}, účet backup, heslo {{PW}}
3. Token pro GitHub Actions: {{GHP}}
Kontaktní osoba: {{NAME@a}}, {{EMAIL@a}}
""",
)
P(
    "cs",
    "receipt",
    """
Účtenka č. {{ORDER}}
Kavárna U Mostu · {{DATE}}

Cappuccino        2x   118,00 Kč
Štrúdl            1x    79,00 Kč
Celkem                 197,00 Kč

Platba kartou: {{CARD}}
""",
)

# ---- Slovak ----
P(
    "sk",
    "email",
    """
Ahoj {{FIRST}},

tu sú prihlasovacie údaje do účtovného systému:
meno: {{USER}}
heslo: {{PW}}

Kód k alarmu v kancelárii je {{PIN}}. Keby niečo, píš na {{EMAIL}}.

{{NAME}}
""",
)
P(
    "sk",
    "helpdesk_ticket",
    """
Požiadavka #{{TICKET}} · nefunguje skenovanie
Zadávateľ: {{NAME@a}} ({{EMAIL@a}})

Tlačiareň na 3. poschodí hlási chybu pri skenovaní do e-mailu. Do webového rozhrania som sa dostal s heslom {{PW}}, ale nastavenia SMTP sa neuložia.
""",
)
P(
    "sk",
    "sms",
    """
Vase nove heslo do internet bankingu je {{PW}}. Heslo si zmente pri prvom prihlaseni. Ak ste o zmenu neziadali, volajte {{PHONE}}.
""",
)

# ---- Slovenian ----
P(
    "sl",
    "email",
    """
Pozdravljeni, {{FIRST}},

pošiljam podatke za dostop do spletne učilnice:
uporabniško ime: {{USER}}
geslo: {{PW}}

Za vprašanja sem dosegljiv na {{EMAIL}}.

Lep pozdrav,
{{NAME}}
""",
)
P(
    "sl",
    "slack_chat",
    """
{{FIRST@a}}  08:55
kdo ima geslo za strežnik z meritvami?
{{FIRST@b}}  08:57
{{IP}}, uporabnik meritve, geslo {{PW}}
""",
)
P(
    "sl",
    "hotel_booking",
    """
Potrditev rezervacije {{BOOKREF}}
Apartmaji Bled · gost {{NAME@a}} ({{EMAIL@a}})
Prihod: {{DATE}}

Garancija s kartico {{CARD}}.
Koda za vhodna vrata je {{PIN}}, geslo za Wi-Fi pa {{PSK}}.
""",
)

# ---- Croatian ----
P(
    "hr",
    "email",
    """
Bok {{FIRST}},

evo podataka za pristup poslužitelju:
adresa: {{IP}}
korisnik: {{USER}}
lozinka: {{PW}}

Molim te da lozinku promijeniš nakon prve prijave.

Pozdrav,
{{NAME}}
""",
)
P(
    "hr",
    "whatsapp_chat",
    """
[10:14] {{FIRST@a}}: koja je lozinka za wifi u apartmanu?
[10:16] {{FIRST@b}}: {{PSK}} (pazi na velika slova)
[10:16] {{FIRST@a}}: hvala!
""",
)
P(
    "hr",
    "invoice",
    """
RAČUN br. {{INVNO}}
Jadran Turist d.o.o. · {{DATE}}

Smještaj, 5 noćenja         450,00 EUR
Boravišna pristojba          10,00 EUR
Ukupno                      460,00 EUR

Plaćeno karticom {{CARD}}
Upiti: {{EMAIL}}
""",
)

# ---- Serbian ----
P(
    "sr",
    "email",
    """
Здраво {{FIRST}},

ево података за приступ серверу:
адреса: {{IP}}
корисник: {{USER}}
лозинка: {{PW}}

Поздрав,
{{NAME}}
""",
)
P(
    "sr",
    "forum_post",
    """
Поздрав свима. Подесио сам рутер, шифра за бежичну мрежу је {{PSK}}, а администраторска лозинка {{PW}}, али телефон и даље не може да се повеже. Има ли неко идеју?
""",
)
P(
    "sr",
    "sms",
    """
Vaša nova lozinka za korisnički portal je {{PW}}. Ne delite je ni sa kim. Za pomoć pišite na {{EMAIL}}.
""",
)

# ---- Hungarian ----
P(
    "hu",
    "email",
    """
Kedves {{FIRST}}!

Az új munkahelyi fiókod adatai:
felhasználónév: {{USER}}
jelszó: {{PW}}

Az első belépéskor kérlek, változtasd meg a jelszót. Kérdés esetén írj a {{EMAIL}} címre.

Üdv,
{{NAME}}
""",
)
P(
    "hu",
    "whatsapp_chat",
    """
[21:03] {{FIRST@a}}: mi a wifi jelszó a nyaralóban?
[21:05] {{FIRST@b}}: {{PSK}}
[21:05] {{FIRST@b}}: a kapukód pedig {{PIN}}
""",
)
P(
    "hu",
    "helpdesk_ticket",
    """
Hibajegy #{{TICKET}}
Bejelentő: {{NAME@a}} ({{EMAIL@a}})

A {{IP}} szerverre nem tudok bejelentkezni. A felhasználóm {{USER@a}}, a jelszavam {{PW}}, de „hozzáférés megtagadva” üzenetet kapok.
""",
)
P(
    "hu",
    "receipt",
    """
NYUGTA
Duna Könyvesbolt · {{DATE}}
Nyugtaszám: {{ORDER}}

Könyv: Magyar konyha        4 990 Ft
Vászontáska                 1 290 Ft
Összesen:                   6 280 Ft

Bankkártya: {{CARD}}
""",
)

# ---- Romanian ----
P(
    "ro",
    "email",
    """
Bună, {{FIRST}},

îți trimit datele de acces pentru platforma de facturare:
utilizator: {{USER}}
parolă: {{PW}}

Te rog să schimbi parola la prima autentificare. Pentru întrebări: {{EMAIL}}

Mulțumesc,
{{NAME}}
""",
)
P(
    "ro",
    "forum_post",
    """
Salut, am o problemă cu serverul de Minecraft: l-am pus pe {{IP}}, portul 25565, iar parola pentru consola RCON e {{PW}}. Din rețeaua locală merge, din afară nu. Ce ar trebui să verific?
""",
)
P(
    "ro",
    "order_confirmation",
    """
Comanda ta #{{ORDER}} a fost plasată!
Data: {{DATE}}
Plată cu cardul {{CARD}}

Contul tău a fost creat cu adresa {{EMAIL}}. Parola temporară: {{PW}}
""",
)

# ---- Bulgarian ----
P(
    "bg",
    "email",
    """
Здравей, {{FIRST}},

Ето данните за вход в системата:
потребител: {{USER}}
парола: {{PW}}

Моля, смени паролата при първото влизане. При въпроси пиши на {{EMAIL}}.

Поздрави,
{{NAME}}
""",
)
P(
    "bg",
    "viber_chat",
    """
[18:20] {{FIRST@a}}: каква е паролата за wi-fi в офиса?
[18:21] {{FIRST@b}}: {{PSK}}
[18:21] {{FIRST@b}}: а за принтера admin / {{PW}}
""",
)
P(
    "bg",
    "invoice",
    """
ФАКТУРА № {{INVNO}}
Дата: {{DATE}}

Услуга: хостинг, 12 месеца        180,00 лв.
ДДС 20%                            36,00 лв.
Общо                              216,00 лв.

Платено с карта {{CARD}}
Контакт: {{EMAIL}}
""",
)

# ---- Greek ----
P(
    "el",
    "email",
    """
Γεια σου {{FIRST}},

σου στέλνω τα στοιχεία πρόσβασης για το σύστημα κρατήσεων:
όνομα χρήστη: {{USER}}
κωδικός: {{PW}}

Για οποιοδήποτε πρόβλημα στείλε μου στο {{EMAIL}}.

Φιλικά,
{{NAME}}
""",
)
P(
    "el",
    "hotel_booking",
    """
Επιβεβαίωση κράτησης {{BOOKREF}}
Ξενοδοχείο Αιγαίο, Νάξος
Επισκέπτης: {{NAME@a}} ({{EMAIL@a}})
Άφιξη: {{DATE}}

Εγγύηση με κάρτα {{CARD}}
Κωδικός Wi-Fi: {{PSK}}
""",
)
P(
    "el",
    "slack_chat",
    """
{{FIRST@a}}  12:40
ποιος είναι ο κωδικός για το NAS;
{{FIRST@b}}  12:41
{{PW}} είναι ο νέος κωδικός, χρήστης admin
""",
)

# ---- Turkish ----
P(
    "tr",
    "email",
    """
Merhaba {{FIRST}},

Muhasebe programı için giriş bilgilerin:
kullanıcı adı: {{USER}}
şifre: {{PW}}

İlk girişte şifreni değiştirmeyi unutma. Sorun olursa {{EMAIL}} adresine yazabilirsin.

Kolay gelsin,
{{NAME}}
""",
)
P(
    "tr",
    "whatsapp_chat",
    """
[{{DATE@d}} 22:01] {{FIRST@a}}: yazlığın wifi şifresi neydi?
[{{DATE@d}} 22:03] {{FIRST@b}}: {{PSK}}
[{{DATE@d}} 22:03] {{FIRST@b}}: modem arayüzü için de admin / {{PW}}
""",
)
P(
    "tr",
    "helpdesk_ticket",
    """
Destek talebi #{{TICKET}}
Gönderen: {{NAME@a}} <{{EMAIL@a}}>

Merhaba, {{IP}} adresindeki sunucuya bağlanamıyorum. Kullanıcı adım {{USER@a}}, şifrem {{PW}}. Hesabım kilitlenmiş olabilir mi?
""",
)
P(
    "tr",
    "order_confirmation",
    """
Siparişiniz alındı!
Sipariş no: {{ORDER}}
Tarih: {{DATE}}
Ödeme: Kredi kartı {{CARD}}

Üyelik hesabınız {{EMAIL}} adresiyle oluşturuldu. Geçici şifreniz: {{PW}}
""",
)

# ---- Russian ----
P(
    "ru",
    "email",
    """
Добрый день, {{FIRST}}!

Высылаю доступы к личному кабинету:
логин: {{USER}}
пароль: {{PW}}

Пароль от почты {{EMAIL}} — {{PW}}, его лучше сразу сменить.

С уважением,
{{NAME}}
""",
)
P(
    "ru",
    "telegram_chat",
    """
{{FIRST@a}}, [14:02]
скинь пароль от сервера, пожалуйста
{{FIRST@b}}, [14:03]
root@{{IP}}, пароль {{PW}}
{{FIRST@b}}, [14:03]
только не светите его в общем чате
""",
)
P(
    "ru",
    "admin_handover",
    """
Передача дел по инфраструктуре ({{DATE}})
1. Прод: {{IP}}, пользователь deploy, пароль {{PW}}
2. {{PW}} — новый пароль от панели хостинга (сменили после ухода админа)
3. Токен бота мониторинга: {{TGBOT}}
4. Почта для алертов: {{EMAIL}}
""",
)
P(
    "ru",
    "bank_notice",
    """
Уважаемый клиент!
Ваша новая карта {{MIR}} выпущена и будет доставлена в отделение до {{DATE}}. ПИН-код придёт отдельным SMS. Вопросы по телефону {{PHONE}}.
""",
)
P(
    "ru",
    "forum_post",
    """
Ребят, помогите. Поднял WireGuard на VPS ({{IP@v}}), ключи сгенерировал, а клиент не подключается. В конфиге указал Endpoint = {{IP@v}}:51820. Пароль от панели VPS на всякий случай сменил на {{PW}}. Что ещё проверить?
""",
)

# ---- Ukrainian ----
P(
    "uk",
    "email",
    """
Добрий день, {{FIRST}}!

Надсилаю дані для входу в CRM:
логін: {{USER}}
пароль: {{PW}}

Якщо виникнуть питання, пишіть на {{EMAIL}}.

З повагою,
{{NAME}}
""",
)
P(
    "uk",
    "telegram_chat",
    """
{{FIRST@a}}, [09:15]
який пароль від вайфаю в новому офісі?
{{FIRST@b}}, [09:16]
{{PSK}}
{{FIRST@b}}, [09:16]
а для гостей окрема мережа без пароля
""",
)
P(
    "uk",
    "helpdesk_ticket",
    """
Заявка №{{TICKET}}
Від: {{NAME@a}} ({{EMAIL@a}})

Не можу підключитися до VPN ({{IP}}). Логін {{USER@a}}, пароль {{PW}}. Пише «невірні облікові дані», хоча вчора все працювало.
""",
)
P(
    "uk",
    "order_confirmation",
    """
Дякуємо за замовлення №{{ORDER}}!
Дата: {{DATE}}
Оплачено карткою {{CARD}}

Для входу в особистий кабінет використовуйте {{EMAIL}} і тимчасовий пароль {{PW}}.
""",
)

# ---- Belarusian ----
P(
    "be",
    "email",
    """
Добры дзень, {{FIRST}}!

Дасылаю даныя для ўваходу ў сістэму:
лагін: {{USER}}
пароль: {{PW}}

Калі ласка, змяніце пароль пры першым уваходзе. Пытанні можна дасылаць на {{EMAIL}}.

З павагай,
{{NAME}}
""",
)
P(
    "be",
    "telegram_chat",
    """
{{FIRST@a}}, [20:11]
які пароль ад вайфаю на лецішчы?
{{FIRST@b}}, [20:12]
{{PSK}}
""",
)
P(
    "be",
    "admin_handover",
    """
Перадача спраў ({{DATE}})
- Сервер сайта: {{IP}}, карыстальнік admin, пароль {{PW}}
- Ключ API плацежнай сістэмы: {{SKLIVE}}
- Кантакт хостынгу: {{EMAIL}}
""",
)

# ---- Lithuanian ----
P(
    "lt",
    "email",
    """
Sveiki, {{FIRST}},

siunčiu prisijungimo prie sistemos duomenis:
vartotojo vardas: {{USER}}
slaptažodis: {{PW}}

Prisijungę pirmą kartą, pasikeiskite slaptažodį. Klausimus siųskite adresu {{EMAIL}}.

Pagarbiai
{{NAME}}
""",
)
P(
    "lt",
    "slack_chat",
    """
{{FIRST@a}}  11:02
koks slaptažodis testiniam serveriui?
{{FIRST@b}}  11:03
{{IP}}, vartotojas test, slaptažodis {{PW}}
""",
)
P(
    "lt",
    "receipt",
    """
KASOS ČEKIS Nr. {{ORDER}}
Kavinė „Gintaras“ · {{DATE}}

Kava su pienu      2 x 3,20
Cepelinai          1 x 8,50
Iš viso:               14,90 EUR

Mokėta kortele {{CARD}}
""",
)

# ---- Latvian ----
P(
    "lv",
    "email",
    """
Sveiki, {{FIRST}}!

Tavi piekļuves dati sistēmai:
lietotājvārds: {{USER}}
parole: {{PW}}

Lūdzu, nomaini paroli pēc pirmās pieslēgšanās. Jautājumus sūti uz {{EMAIL}}.

Ar cieņu,
{{NAME}}
""",
)
P(
    "lv",
    "whatsapp_chat",
    """
[19:40] {{FIRST@a}}: kāda ir wifi parole vasarnīcā?
[19:42] {{FIRST@b}}: {{PSK}}
[19:42] {{FIRST@b}}: vārtu kods {{PIN}}
""",
)
P(
    "lv",
    "admin_handover",
    """
Nodošanas piezīmes ({{DATE}})
* Serveris: {{IP}}, lietotājs admin, parole {{PW}}
* Datubāze: mysql://app:{{PWA}}@db.rigas-koks.lv/app
* Kontaktpersona: {{NAME@a}}, {{EMAIL@a}}
""",
)

# ---- Estonian ----
P(
    "et",
    "email",
    """
Tere, {{FIRST}}!

Siin on sinu kasutajakonto andmed:
kasutajanimi: {{USER}}
parool: {{PW}}

Palun muuda parool esimesel sisselogimisel. Küsimuste korral kirjuta {{EMAIL}}.

Parimate soovidega
{{NAME}}
""",
)
P(
    "et",
    "slack_chat",
    """
{{FIRST@a}}  15:20
mis on wifi parool uues kontoris?
{{FIRST@b}}  15:21
töötajatele {{PSK}}
{{FIRST@b}}  15:21
külaliste võrgu parool on {{PSK}}
""",
)
P(
    "et",
    "invoice",
    """
ARVE nr {{INVNO}}
Kuupäev: {{DATE}}

Veebimajutus, 12 kuud       96,00 EUR
Käibemaks 22%               21,12 EUR
Kokku                      117,12 EUR

Makstud kaardiga {{CARD}}
Küsimused: {{EMAIL}}
""",
)

# ---- Arabic ----
P(
    "ar",
    "email",
    """
مرحبًا {{FIRST}}،

إليك بيانات الدخول إلى نظام الموارد البشرية:
اسم المستخدم: {{USER}}
كلمة المرور: {{PW}}

يرجى تغيير كلمة المرور بعد أول تسجيل دخول. للاستفسار راسلنا على {{EMAIL}}.

مع التحية،
{{NAME}}
""",
)
P(
    "ar",
    "whatsapp_chat",
    """
[21:15] {{FIRST@a}}: شو كلمة سر الواي فاي عندكم؟
[21:16] {{FIRST@b}}: {{PSK}}
[21:16] {{FIRST@b}}: وكلمة سر الراوتر admin / {{PW}}
""",
)
P(
    "ar",
    "order_confirmation",
    """
تم تأكيد طلبك رقم {{ORDER}}
التاريخ: {{DATE}}
طريقة الدفع: بطاقة ائتمان {{CARD}}

تم إنشاء حسابك بالبريد الإلكتروني {{EMAIL}}، وكلمة المرور المؤقتة هي {{PW}}
""",
)
P(
    "ar",
    "helpdesk_ticket",
    """
تذكرة دعم رقم {{TICKET}}
المرسل: {{NAME@a}} ({{EMAIL@a}})

لا أستطيع الاتصال بالخادم {{IP}} منذ الصباح. اسم المستخدم {{USER@a}} وكلمة المرور {{PW}}. أرجو التحقق من الحساب.
""",
)

# ---- Hebrew ----
P(
    "he",
    "email",
    """
היי {{FIRST}},

מצרף את פרטי הגישה למערכת השכר:
שם משתמש: {{USER}}
סיסמה: {{PW}}

מומלץ להחליף את הסיסמה בכניסה הראשונה. לשאלות: {{EMAIL}}

בברכה,
{{NAME}}
""",
)
P(
    "he",
    "whatsapp_chat",
    """
[08:30] {{FIRST@a}}: מה הסיסמה של הוויפיי במשרד?
[08:31] {{FIRST@b}}: {{PSK}}
[08:31] {{FIRST@b}}: והקוד לדלת {{PIN}}
""",
)
P(
    "he",
    "admin_handover",
    """
חפיפה · שרתים ({{DATE}})
• שרת ייצור: {{IP}}, משתמש deploy, סיסמה {{PW}}
• מפתח API לשירות המיילים: {{SGKEY}}
• איש קשר אצל הספק: {{EMAIL}}
""",
)

# ---- Persian ----
P(
    "fa",
    "email",
    """
سلام {{FIRST}} عزیز،

اطلاعات ورود به پنل مدیریت سایت:
نام کاربری: {{USER}}
رمز عبور: {{PW}}

لطفاً بعد از اولین ورود رمز را عوض کنید. برای سؤال‌ها به {{EMAIL}} ایمیل بزنید.

با احترام،
{{NAME}}
""",
)
P(
    "fa",
    "telegram_chat",
    """
{{FIRST@a}}, [10:05]
رمز وای‌فای دفتر جدید چیه؟
{{FIRST@b}}, [10:06]
{{PSK}}
{{FIRST@b}}, [10:06]
رمز پرینتر هم {{PW}} هست
""",
)
P(
    "fa",
    "forum_post",
    """
سلام دوستان، سرور مجازی‌ام با آی‌پی {{IP}} از دیروز با SSH وصل نمی‌شود. رمز root را از پنل به {{PW}} تغییر دادم ولی باز هم خطای Permission denied می‌گیرم. لطفاً راهنمایی کنید.
""",
)

# ---- Urdu ----
P(
    "ur",
    "email",
    """
السلام علیکم {{FIRST}}،

آپ کے نئے اکاؤنٹ کی تفصیلات یہ ہیں:
یوزر نیم: {{USER}}
پاس ورڈ: {{PW}}

براہ کرم پہلی بار لاگ اِن کرنے کے بعد پاس ورڈ تبدیل کر لیں۔ کسی مسئلے کی صورت میں {{EMAIL}} پر رابطہ کریں۔

شکریہ،
{{NAME}}
""",
)
P(
    "ur",
    "whatsapp_chat",
    """
[21:40] {{FIRST@a}}: گھر کے وائی فائی کا پاس ورڈ کیا ہے؟
[21:41] {{FIRST@b}}: {{PSK}}
[21:41] {{FIRST@a}}: شکریہ
""",
)
P(
    "ur",
    "order_confirmation",
    """
آپ کا آرڈر نمبر {{ORDER}} موصول ہو گیا ہے۔
تاریخ: {{DATE}}
ادائیگی: کارڈ {{CARD}}
اکاؤنٹ ای میل: {{EMAIL}}
""",
)

# ---- Hindi ----
P(
    "hi",
    "email",
    """
नमस्ते {{FIRST}} जी,

आपके नए ऑफ़िस अकाउंट का विवरण:
यूज़रनेम: {{USER}}
पासवर्ड: {{PW}}

कृपया पहली बार लॉगिन करने के बाद पासवर्ड बदल लें। किसी भी समस्या के लिए {{EMAIL}} पर लिखें।

धन्यवाद,
{{NAME}}
""",
)
P(
    "hi",
    "whatsapp_chat",
    """
[20:05] {{FIRST@a}}: भैया, वाईफ़ाई का पासवर्ड क्या है?
[20:06] {{FIRST@b}}: {{PSK}}
[20:06] {{FIRST@b}}: और नेटफ़्लिक्स वाला {{PW}} है
""",
)
P(
    "hi",
    "helpdesk_ticket",
    """
टिकट संख्या: {{TICKET}}
भेजने वाले: {{NAME@a}} ({{EMAIL@a}})

सर, मैं सर्वर {{IP}} पर लॉगिन नहीं कर पा रहा हूँ। मेरा यूज़र {{USER@a}} है और पासवर्ड {{PW}} है। कृपया जाँच करें।
""",
)
P(
    "hi",
    "order_confirmation",
    """
आपका ऑर्डर {{ORDER}} सफलतापूर्वक दर्ज हो गया है।
तारीख: {{DATE}}
भुगतान: क्रेडिट कार्ड {{CARD}}
अकाउंट ईमेल: {{EMAIL}}
""",
)

# ---- Bengali ----
P(
    "bn",
    "email",
    """
প্রিয় {{FIRST}},

আপনার অফিস অ্যাকাউন্টের তথ্য:
ইউজারনেম: {{USER}}
পাসওয়ার্ড: {{PW}}

প্রথমবার লগইনের পর পাসওয়ার্ড পরিবর্তন করুন। কোনো সমস্যা হলে {{EMAIL}} ঠিকানায় লিখুন।

ধন্যবাদান্তে,
{{NAME}}
""",
)
P(
    "bn",
    "whatsapp_chat",
    """
[19:22] {{FIRST@a}}: ওয়াইফাইয়ের পাসওয়ার্ড কী?
[19:23] {{FIRST@b}}: {{PSK}}
[19:23] {{FIRST@b}}: রাউটারের অ্যাডমিন পাসওয়ার্ড {{PW}}
""",
)
P(
    "bn",
    "helpdesk_ticket",
    """
টিকিট নম্বর {{TICKET}}
প্রেরক: {{NAME@a}} ({{EMAIL@a}})

সার্ভার {{IP}}-এ লগইন করতে পারছি না। ইউজার {{USER@a}}, পাসওয়ার্ড {{PW}}। অনুগ্রহ করে দেখে দিন।
""",
)

# ---- Tamil ----
P(
    "ta",
    "email",
    """
வணக்கம் {{FIRST}},

உங்கள் புதிய கணக்கு விவரங்கள்:
பயனர் பெயர்: {{USER}}
கடவுச்சொல்: {{PW}}

முதல் முறை உள்நுழைந்த பின் கடவுச்சொல்லை மாற்றவும். சந்தேகங்களுக்கு {{EMAIL}} என்ற முகவரிக்கு எழுதவும்.

நன்றி,
{{NAME}}
""",
)
P(
    "ta",
    "whatsapp_chat",
    """
[18:10] {{FIRST@a}}: வைஃபை கடவுச்சொல் என்ன?
[18:11] {{FIRST@b}}: {{PSK}}
""",
)
P(
    "ta",
    "classroom_handout",
    """
கணினி ஆய்வகம் · பயிற்சி 2
சர்வர் முகவரி: {{IP}}

மாணவர்        பயனர்      கடவுச்சொல்
{{FIRST}}      lab01      {{PW}}
{{FIRST}}      lab02      {{PW}}
{{FIRST}}      lab03      {{PW}}
""",
)

# ---- Thai ----
P(
    "th",
    "email",
    """
เรียน คุณ{{FIRST}}

ข้อมูลสำหรับเข้าสู่ระบบของคุณ
ชื่อผู้ใช้: {{USER}}
รหัสผ่าน: {{PW}}

กรุณาเปลี่ยนรหัสผ่านหลังเข้าสู่ระบบครั้งแรก หากมีปัญหาติดต่อ {{EMAIL}}

ขอแสดงความนับถือ
{{NAME}}
""",
)
P(
    "th",
    "line_chat",
    """
[20:12] {{FIRST@a}}: รหัสไวไฟที่ร้านคืออะไรนะ
[20:13] {{FIRST@b}}: {{PSK}}
[20:13] {{FIRST@b}}: ส่วนรหัสเข้าระบบ POS คือ {{PW}}
""",
)
P(
    "th",
    "hotel_booking",
    """
ยืนยันการจอง {{BOOKREF}}
โรงแรมริมน้ำ เชียงใหม่
ผู้เข้าพัก: {{NAME@a}} ({{EMAIL@a}})
วันที่เข้าพัก: {{DATE}}

ชำระด้วยบัตร {{CARD}}
รหัส Wi-Fi ห้องพัก: {{PSK}}
""",
)

# ---- Vietnamese ----
P(
    "vi",
    "email",
    """
Chào {{FIRST}},

Mình gửi thông tin đăng nhập hệ thống kế toán:
tên đăng nhập: {{USER}}
mật khẩu: {{PW}}

Bạn nhớ đổi mật khẩu sau lần đăng nhập đầu tiên nhé. Có gì thắc mắc thì gửi mail về {{EMAIL}}.

Thân,
{{NAME}}
""",
)
P(
    "vi",
    "zalo_chat",
    """
[09:01] {{FIRST@a}}: pass wifi quán là gì vậy em?
[09:02] {{FIRST@b}}: {{PSK}} anh nhé
[09:02] {{FIRST@b}}: còn mật khẩu máy POS là {{PW}}
""",
)
P(
    "vi",
    "order_confirmation",
    """
Đơn hàng #{{ORDER}} đã được xác nhận
Ngày đặt: {{DATE}}
Thanh toán: thẻ {{CARD}}

Tài khoản của bạn: {{EMAIL}}, mật khẩu tạm thời: {{PW}}
""",
)
P(
    "vi",
    "forum_post",
    """
Mọi người ơi cho em hỏi, em thuê VPS có IP {{IP}} mà không SSH vào được. Mật khẩu root em đã đổi thành {{PW}} rồi mà vẫn báo "Permission denied". Em cảm ơn!
""",
)

# ---- Indonesian ----
P(
    "id",
    "email",
    """
Halo {{FIRST}},

Berikut data login untuk dasbor toko online:
username: {{USER}}
kata sandi: {{PW}}

Silakan ganti kata sandi setelah login pertama. Kalau ada kendala, kirim email ke {{EMAIL}}.

Salam,
{{NAME}}
""",
)
P(
    "id",
    "whatsapp_chat",
    """
[20:45] {{FIRST@a}}: pw wifi kos apa ya?
[20:46] {{FIRST@b}}: {{PSK}}
[20:46] {{FIRST@b}}: jangan dikasih ke tetangga ya 😅
""",
)
P(
    "id",
    "order_confirmation",
    """
Terima kasih! Pesanan {{ORDER}} sudah kami terima.
Tanggal: {{DATE}}
Pembayaran: Kartu kredit {{CARD}}
Akun: {{EMAIL}}
""",
)
P(
    "id",
    "admin_handover",
    """
Catatan serah terima server ({{DATE}})
- Server utama: {{IP}}, user deploy, password {{PW}}
- Token GitHub untuk CI: {{GHP}}
- Kontak vendor: {{NAME@a}} ({{EMAIL@a}})
""",
)

# ---- Malay ----
P(
    "ms",
    "email",
    """
Salam {{FIRST}},

Berikut maklumat log masuk sistem kehadiran:
ID pengguna: {{USER}}
kata laluan: {{PW}}

Sila tukar kata laluan selepas log masuk kali pertama. Sebarang pertanyaan, hubungi {{EMAIL}}.

Terima kasih,
{{NAME}}
""",
)
P(
    "ms",
    "whatsapp_chat",
    """
[22:10] {{FIRST@a}}: kata laluan wifi rumah apa ya?
[22:11] {{FIRST@b}}: {{PSK}}
""",
)
P(
    "ms",
    "receipt",
    """
RESIT RASMI
Kedai Buku Melaka · {{DATE}}
No. resit: {{ORDER}}

Buku latihan Matematik    RM 18.90
Pensel 2B x5              RM 6.50
Jumlah                    RM 25.40

Dibayar dengan kad {{CARD}}
""",
)

# ---- Tagalog ----
P(
    "tl",
    "email",
    """
Hi {{FIRST}},

Ito ang login details mo sa payroll system:
username: {{USER}}
password: {{PW}}

Pakipalitan agad ang password pagka-login mo. Kung may problema, i-email mo lang ako sa {{EMAIL}}.

Salamat,
{{NAME}}
""",
)
P(
    "tl",
    "messenger_chat",
    """
[19:30] {{FIRST@a}}: ano ulit password ng wifi sa bahay?
[19:31] {{FIRST@b}}: {{PSK}}
[19:31] {{FIRST@b}}: wag mo ipamigay sa kapitbahay ha
""",
)
P(
    "tl",
    "order_confirmation",
    """
Salamat sa order mo! Order no. {{ORDER}}
Petsa: {{DATE}}
Bayad gamit ang card {{CARD}}
Account: {{EMAIL}}
""",
)

# ---- Swahili ----
P(
    "sw",
    "email",
    """
Habari {{FIRST}},

Hizi ni taarifa zako za kuingia kwenye mfumo:
jina la mtumiaji: {{USER}}
nenosiri: {{PW}}

Tafadhali badilisha nenosiri baada ya kuingia mara ya kwanza. Kwa maswali, andika kwa {{EMAIL}}.

Asante,
{{NAME}}
""",
)
P(
    "sw",
    "whatsapp_chat",
    """
[20:00] {{FIRST@a}}: nenosiri la wifi ya ofisi ni lipi?
[20:01] {{FIRST@b}}: {{PSK}}
""",
)
P(
    "sw",
    "sms",
    """
Akaunti yako mpya imefunguliwa. Nenosiri la muda ni {{PW}}. Usimpe mtu yeyote. Kwa msaada piga {{PHONE}}.
""",
)

# ---- Japanese ----
P(
    "ja",
    "email",
    """
{{LAST}}様

お世話になっております。
社内システムのアカウント情報をお送りします。

ユーザーID：{{USER}}
パスワード：{{PW}}

初回ログイン時にパスワードの変更をお願いいたします。
ご不明な点は {{EMAIL}} までご連絡ください。

{{NAME}}
""",
)
P(
    "ja",
    "line_chat",
    """
[21:02] {{FIRST@a}}: 実家のWi-Fiのパスワードって何だっけ？
[21:03] {{FIRST@b}}: {{PSK}}
[21:03] {{FIRST@b}}: ルーターの管理画面は admin / {{PW}} だよ
""",
)
P(
    "ja",
    "admin_handover",
    """
引き継ぎメモ（{{DATE}}）
・本番サーバー：{{IP}}（ユーザー deploy、PW：{{PW}}）
・{{PW}} が新しいDBのパスワードです（先週変更済み）
・Slack通知用トークン：{{XOXB}}
・障害連絡先：{{EMAIL}}
""",
)
P(
    "ja",
    "hotel_booking",
    """
ご予約確認 {{BOOKREF}}
旅館 さくら荘（箱根）
お名前：{{NAME@a}} 様
メール：{{EMAIL@a}}
チェックイン：{{DATE}}

お支払い：クレジットカード {{JCB}}
客室Wi-Fiのパスワードは「{{PSK}}」です。
""",
)
P(
    "ja",
    "classroom_handout",
    """
情報処理演習　第3回
演習サーバー：{{IP}}

| 学籍番号 | ユーザー名 | 初期パスワード |
|---|---|---|
| {{STUDENTID}} | ex01 | {{PWA}} |
| {{STUDENTID}} | ex02 | {{PWA}} |
| {{STUDENTID}} | ex03 | {{PWA}} |

※初回ログイン後、必ずパスワードを変更すること。
""",
)
P(
    "ja",
    "qa_post",
    """
【質問】Google Maps APIでエラーが出ます

APIキー（{{AIZA}}）を設定しているのですが、「This API project is not authorized」と表示されます。サーバーのIPは {{IP}} です。原因が分かる方いらっしゃいますか？
""",
)

# ---- Korean ----
P(
    "ko",
    "email",
    """
{{NAME}}님 안녕하세요.

사내 그룹웨어 계정 정보를 안내드립니다.
아이디: {{USER}}
비밀번호: {{PW}}

최초 로그인 후 비밀번호를 꼭 변경해 주세요. 문의 사항은 {{EMAIL}}로 보내 주시기 바랍니다.

감사합니다.
""",
)
P(
    "ko",
    "kakaotalk_chat",
    """
[오후 9:12] {{FIRST@a}}: 집 와이파이 비번 뭐였지?
[오후 9:13] {{FIRST@b}}: {{PSK}}
[오후 9:13] {{FIRST@b}}: 공유기 관리자 비번은 {{PW}}
""",
)
P(
    "ko",
    "order_confirmation",
    """
주문이 완료되었습니다.
주문번호: {{ORDER}}
주문일: {{DATE}}
결제 수단: 신용카드 {{CARD}}
회원 아이디: {{EMAIL}}
""",
)
P(
    "ko",
    "admin_handover",
    """
인수인계 문서 ({{DATE}})
1. 운영 서버: {{IP}} / 계정 deploy / 비밀번호 {{PW}}
2. 결제 API 시크릿 키: {{SKLIVE}}
3. 장애 알림 메일: {{EMAIL}}
""",
)
P(
    "ko",
    "slack_chat",
    """
{{FIRST@a}}  오후 3:20
배포 서버 SSH 접속 정보 좀 알려주세요
{{FIRST@b}}  오후 3:21
{{IP}} / ubuntu / 비번 {{PW}}
""",
)

# ---- Chinese ----
P(
    "zh",
    "email",
    """
{{NAME}}您好：

您的企业邮箱已开通，登录信息如下：
邮箱：{{EMAIL}}
初始密码：{{PW}}

请在首次登录后尽快修改密码。如有问题，请联系IT部门。

谢谢！
""",
)
P(
    "zh",
    "wechat_chat",
    """
[10:21] {{FIRST@a}}：办公室WiFi密码是多少？
[10:22] {{FIRST@b}}：{{PSK}}
[10:22] {{FIRST@b}}：{{PW}} 是新密码，打印机那台也用这个
""",
)
P(
    "zh",
    "admin_handover",
    """
交接文档（{{DATE}}）
一、生产服务器：{{IP}}，用户名 root，密码 {{PW}}
二、数据库连接：mysql://app:{{PWA}}@10.0.3.15:3306/shop
三、阿里云 AccessKey Secret：{{ALISEC}}
四、负责人：{{NAME@a}}（{{EMAIL@a}}）
""",
)
P(
    "zh",
    "order_confirmation",
    """
订单确认
订单号：{{ORDER}}
下单时间：{{DATE}}
支付方式：银联卡 {{UNIONPAY}}
收件人：{{NAME}}
联系邮箱：{{EMAIL}}
""",
)
P(
    "zh",
    "forum_post",
    """
求助：服务器 {{IP}} 的 SSH 突然连不上了，密码（{{PW}}）确认没错，报错 Permission denied。防火墙已经放行22端口，各位大佬帮忙看看？
""",
)

# ---- extra table / handout templates ----
P(
    "de",
    "latex_handout",
    r"""
\subsection*{Praktikum Netzwerke -- Zugangsdaten}
\begin{tabular}{lll}
Gruppe & Benutzer & Passwort \\
\hline
A & gruppe-a & \texttt{{{PWA}}} \\
B & gruppe-b & \texttt{{{PWA}}} \\
C & gruppe-c & \texttt{{{PWA}}} \\
D & gruppe-d & \texttt{{{PWA}}} \\
\end{tabular}

Router der Übungsumgebung: \texttt{{{IP}}}
""",
)
P(
    "ru",
    "wiki_markdown_table",
    """
### Учётные записи стенда

| Сервис | Адрес | Логин | Пароль |
|---|---|---|---|
| GitLab | {{IP}} | root | {{PW}} |
| Zabbix | {{IP}} | Admin | {{PW}} |
| CRM | {{IP}} | admin | {{PW}} |

Ответственный: {{NAME@a}} ({{EMAIL@a}})
""",
)
P(
    "it",
    "classroom_handout",
    """
Laboratorio di Reti · Esercitazione 4
Ogni coppia usa la propria macchina virtuale. Credenziali iniziali (utente / password):

postazione 1: studente1 / {{PW}}
postazione 2: studente2 / {{PW}}
postazione 3: studente3 / {{PW}}
postazione 4: studente4 / {{PW}}

Il server per la consegna dei compiti è raggiungibile all'indirizzo {{IP}}.
""",
)
P(
    "es",
    "meeting_notes",
    """
Acta de la reunión de sistemas · {{DATE}}
Asistentes: {{NAME}}, {{NAME@r}}

1. Se ha rotado la contraseña del usuario de copias: ahora es {{PW}}.
2. La nueva clave del wifi de invitados ({{PSK}}) se imprimirá en recepción.
3. El token de despliegue ({{GHP}}) caduca en 90 días; {{FIRST@r}} se encarga de renovarlo.
""",
)
P(
    "ko",
    "meeting_notes",
    """
주간 회의록 ({{DATE}})
- 공용 계정 비밀번호 변경: {{PW}}
- 게스트 와이파이 비밀번호: {{PSK}}
- 테스트 서버 {{IP}} 루트 비번은 {{PW}}로 통일
- 담당: {{NAME@a}} ({{EMAIL@a}})
""",
)
P(
    "pl",
    "pdf_text",
    """
Politechnika · Instrukcja do ćwiczenia nr 5                    str. 2

Do wykonania ćwiczenia potrzebne jest konto w laboratorium. Hasło począt-
kowe dla wszystkich stanowisk to {{PW}}; należy je zmienić po pierw-
szym logowaniu. Serwer z materiałami: {{IP}}.

Opracował: {{NAME}}                                      Wydanie z {{DATE}}
""",
)
P(
    "tr",
    "classroom_handout",
    """
Bilgisayar Laboratuvarı · Hafta 2
Sunucu adresi: {{IP}}

Öğrenci   Kullanıcı   Şifre
1         ogr01       {{PW}}
2         ogr02       {{PW}}
3         ogr03       {{PW}}
""",
)
P(
    "el",
    "admin_handover",
    """
Σημειώσεις παράδοσης ({{DATE}})
- Διακομιστής: {{IP}}, χρήστης admin, κωδ. {{PW}}
- Βάση δεδομένων: postgres://app:{{PWA}}@db.aigaio-travel.gr/app
- Επικοινωνία: {{EMAIL}}
""",
)


# --------------------------------------------------------------------------
# Hard-negative templates (category, lang, context, text) -- no spans
# --------------------------------------------------------------------------
NEG = []


def N(cat, lang, ctx, text):
    NEG.append((cat, lang, ctx, text.strip("\n")))


# password policy text
N(
    "password_policy",
    "en",
    "it_policy",
    """
Password requirements: passwords must be at least {{NMIN}} characters long and contain an uppercase letter, a lowercase letter, a digit and a special character. They expire every {{NDAYS}} days, and you cannot reuse any of your last {{NSMALL}} passwords.
""",
)
N(
    "password_policy",
    "de",
    "intranet_page",
    """
Ihr neues Kennwort muss mindestens {{NMIN}} Zeichen lang sein und Zeichen aus mindestens drei der folgenden Gruppen enthalten: Großbuchstaben, Kleinbuchstaben, Ziffern, Sonderzeichen. Das Kennwort läuft nach {{NDAYS}} Tagen ab.
""",
)
N(
    "password_policy",
    "ja",
    "web_form",
    """
パスワードは{{NMIN}}文字以上{{NMAX}}文字以内で、英大文字・英小文字・数字・記号のうち3種類以上を組み合わせてください。生年月日や電話番号は使用できません。（{{NSMALL}}回連続で間違えるとロックされます）
""",
)
N(
    "password_policy",
    "pl",
    "helpdesk_faq",
    """
Hasło musi mieć co najmniej {{NMIN}} znaków, w tym jedną wielką literę i jedną cyfrę. Hasło wygasa po {{NDAYS}} dniach, a system pamięta {{NSMALL}} poprzednich haseł.
""",
)
N(
    "password_policy",
    "es",
    "it_policy",
    """
La contraseña debe tener entre {{NMIN}} y {{NMAX}} caracteres, incluir al menos un número y un símbolo, y no puede contener tu nombre de usuario. Se te pedirá cambiarla cada {{NDAYS}} días.
""",
)

# reset instructions without a value
N(
    "reset_instructions",
    "en",
    "email",
    """
Hi {{FIRST}},

We received a request to reset the password for your account. Click the link below to choose a new password. The link is valid for {{NHOURS}} hours. If you didn't ask for this, you can safely ignore this email.

The {{BRAND}} team
""",
)
N(
    "reset_instructions",
    "fr",
    "help_article",
    """
Mot de passe oublié ? Cliquez sur « Mot de passe oublié » sur la page de connexion, saisissez votre adresse e-mail puis suivez les instructions reçues. Le lien expire au bout de {{NHOURS}} heures. Besoin d'aide ? Écrivez à {{RESEMAIL}}.
""",
)
N(
    "reset_instructions",
    "zh",
    "help_article",
    """
忘记密码？请在登录页面点击“忘记密码”，输入注册手机号，系统会发送验证链接，链接{{NHOURS}}小时内有效。如仍无法登录，请联系客服（工单号 {{TICKET}}）。
""",
)
N(
    "reset_instructions",
    "ru",
    "helpdesk_reply",
    """
Здравствуйте, {{FIRST}}! Чтобы сбросить пароль, нажмите «Забыли пароль?» на странице входа и следуйте инструкциям из письма. Новый пароль должен отличаться от трёх предыдущих. Номер обращения: {{TICKET}}.
""",
)

# "the password was changed"
N(
    "password_changed_notice",
    "en",
    "security_email",
    """
Your password was changed on {{DATE}} at {{TIME}} from a device in {{CITY}}. If this was you, no further action is needed. If not, secure your account right away.
""",
)
N(
    "password_changed_notice",
    "de",
    "security_email",
    """
Hallo {{FIRST}}, das Passwort für Ihr Konto wurde am {{DATE}} um {{TIME}} Uhr geändert. Falls Sie das nicht waren, setzen Sie es bitte sofort zurück.
""",
)
N(
    "password_changed_notice",
    "ko",
    "sms",
    """
[{{BRAND}}] {{DATE}} {{TIME}}에 회원님의 비밀번호가 변경되었습니다. 본인이 변경하지 않았다면 고객센터로 연락해 주세요.
""",
)
N(
    "password_changed_notice",
    "pt",
    "security_email",
    """
Olá {{FIRST}}, a senha da sua conta foi alterada em {{DATE}} às {{TIME}}. Se não foi você, redefina a senha imediatamente.
""",
)
N(
    "password_changed_notice",
    "tr",
    "sms",
    """
Hesabınızın şifresi {{DATE}} tarihinde saat {{TIME}} itibarıyla değiştirildi. Bu işlemi siz yapmadıysanız hemen bizimle iletişime geçin.
""",
)

# placeholders and masked values
N(
    "masked_placeholder",
    "en",
    "admin_handover",
    """
Credentials for the reporting DB are in the vault. Host: {{HOSTNAME}}, user: report_ro, password: •••••••• (ask {{FIRST}} for access)
""",
)
N(
    "masked_placeholder",
    "de",
    "documentation",
    """
Konfigurationsbeispiel für die Dokumentation:
DB_USER=shop
DB_PASSWORD=<password>
API_TOKEN=[hidden]
Bitte die Platzhalter durch eure eigenen Werte ersetzen (Ticket {{TICKET}}).
""",
)
N(
    "masked_placeholder",
    "fr",
    "email",
    """
Bonjour {{FIRST}}, pour des raisons de sécurité, votre mot de passe n'apparaît pas dans ce message (mot de passe : [masqué]). Vous le recevrez par SMS au numéro se terminant par {{LAST4}}.
""",
)
N(
    "masked_placeholder",
    "ru",
    "telegram_chat",
    """
{{FIRST}}, [12:01]
пароль от сервера: ********
{{FIRST}}, [12:02]
настоящий скинул в личку, сюда не пишу (тикет {{TICKET}})
""",
)
N(
    "masked_placeholder",
    "ja",
    "email",
    """
アカウント情報
ユーザーID：{{USER}}
パスワード：＊＊＊＊＊＊（セキュリティのため非表示）
""",
)
N(
    "masked_placeholder",
    "es",
    "documentation",
    """
api_key: "YOUR_API_KEY_HERE"
secret: "xxxxxxxxxxxxxxxx"
# sustituye estos valores antes de desplegar (versión {{VER}})
""",
)

# product codes
N(
    "product_code",
    "en",
    "product_page",
    """
Model {{MODELNO}} · SKU {{SKU}} · EAN {{EAN}}. Compatible with all {{BRAND}} chargers. Ships within 2 working days.
""",
)
N(
    "product_code",
    "de",
    "product_page",
    """
Art.-Nr. {{SKU}} | Hersteller-Nr. {{MODELNO}} | Farbe: Anthrazit | Lieferzeit 3–5 Werktage
""",
)
N(
    "product_code",
    "it",
    "invoice_line",
    """
Codice articolo {{SKU}} · Cartucce compatibili {{MODELNO}}, confezione da 4. Prezzo unitario 12,90 €.
""",
)
N(
    "product_code",
    "nl",
    "product_page",
    """
Productcode {{SKU}} · typenummer {{MODELNO}} · geschikt voor A4- en A5-papier.
""",
)

# order numbers
N(
    "order_number",
    "en",
    "order_confirmation",
    """
Thanks for shopping with us! Your order {{ORDER}} has been received and will be dispatched within 24 hours. You can follow it in your account under "My orders".
""",
)
N(
    "order_number",
    "es",
    "email",
    """
Hola {{FIRST}}, tu pedido n.º {{ORDER}} ya está en camino. Si necesitas devolverlo, usa la referencia {{RMA}}.
""",
)
N(
    "order_number",
    "pl",
    "sms",
    """
Zamówienie {{ORDER}} zostało przekazane do realizacji. Dziękujemy za zakupy!
""",
)
N(
    "order_number",
    "sv",
    "email",
    """
Tack för din beställning! Ordernummer: {{ORDER}}. Kundnummer: {{CUSTNO}}.
""",
)

# tracking numbers
N(
    "tracking_number",
    "en",
    "shipping_notice",
    """
Your parcel is on its way! Tracking number: {{TRACK}}. Estimated delivery: {{DATE}}.
""",
)
N(
    "tracking_number",
    "de",
    "sms",
    """
Ihre Sendung {{TRACK}} wird heute zwischen {{TIME}} und {{TIME}} Uhr zugestellt.
""",
)
N(
    "tracking_number",
    "fr",
    "shipping_notice",
    """
Votre colis n° {{TRACK}} a été remis au transporteur le {{DATE}}. Vous pouvez le suivre sur notre site.
""",
)
N(
    "tracking_number",
    "zh",
    "sms",
    """
【快递】您的包裹已到达驿站，运单号 {{TRACK}}，请于{{DATE}}前凭手机号领取。
""",
)

# booking references (look like 6-char codes)
N(
    "booking_reference",
    "en",
    "travel_booking",
    """
Booking confirmed. Your booking reference is {{BOOKREF}}. Please have it ready when you check in at the airport on {{DATE}}.
""",
)
N(
    "booking_reference",
    "it",
    "email",
    """
Gentile {{FIRST}}, la sua prenotazione è confermata. Codice di prenotazione: {{BOOKREF}}. Il check-in online apre 24 ore prima della partenza.
""",
)
N(
    "booking_reference",
    "sv",
    "email",
    """
Din bokning är bekräftad. Bokningsnummer: {{BOOKREF}}. Visa numret i receptionen vid ankomst den {{DATE}}.
""",
)
N(
    "booking_reference",
    "th",
    "sms",
    """
ยืนยันการจองห้องพัก หมายเลขการจอง {{BOOKREF}} เช็คอินวันที่ {{DATE}}
""",
)

# flight numbers
N(
    "flight_number",
    "en",
    "travel_itinerary",
    """
Flight {{FLIGHT}} departs from gate {{GATE}} at {{TIME}}. Boarding closes 20 minutes before departure. Seat {{SEAT}}.
""",
)
N(
    "flight_number",
    "es",
    "sms",
    """
Tu vuelo {{FLIGHT}} sale con retraso. Nueva hora de salida: {{TIME}}. Puerta {{GATE}}.
""",
)
N(
    "flight_number",
    "ar",
    "travel_itinerary",
    """
رحلتكم رقم {{FLIGHT}} ستغادر من البوابة {{GATE}} الساعة {{TIME}}. يرجى الحضور قبل الإقلاع بساعة على الأقل.
""",
)
N(
    "flight_number",
    "ko",
    "sms",
    """
[항공] {{FLIGHT}}편 탑승구가 {{GATE}}(으)로 변경되었습니다. 출발 시각 {{TIME}}.
""",
)

# licence plates
N(
    "licence_plate",
    "de",
    "parking_notice",
    """
Das Fahrzeug mit dem Kennzeichen {{PLATE}} parkt seit {{DATE}} auf dem Kundenparkplatz. Bitte umgehend umparken.
""",
)
N(
    "licence_plate",
    "fr",
    "email",
    """
Votre abonnement au parking est actif jusqu'au {{DATE}} pour le véhicule immatriculé {{PLATE}}.
""",
)
N(
    "licence_plate",
    "nl",
    "forum_post",
    """
Iemand heeft vanochtend mijn auto aangereden en is doorgereden. Kenteken was {{PLATE}}, een grijze stationwagen. Getuigen? Het was rond {{TIME}}.
""",
)
N(
    "licence_plate",
    "pl",
    "sms",
    """
Przypominamy o przeglądzie technicznym pojazdu {{PLATE}} do dnia {{DATE}}.
""",
)

# postal codes
N(
    "postal_code",
    "en",
    "address_block",
    """
Deliver to: {{NAME}}, Flat {{NSMALL}}, 21 Mill Lane, Oxford {{ZIP}}, United Kingdom
""",
)
N(
    "postal_code",
    "nl",
    "address_block",
    """
Bezorgadres: {{NAME}}, Kerkstraat {{NSMALL}}, {{ZIP}} Utrecht
""",
)
N(
    "postal_code",
    "pt",
    "address_block",
    """
Morada: {{NAME}}, Rua das Flores, {{NSMALL}}, 2.º Esq., {{ZIP}} Lisboa
""",
)
N(
    "postal_code",
    "ja",
    "address_block",
    """
〒{{ZIP}} 東京都渋谷区神南1丁目{{NSMALL}}番 {{NAME}} 様
""",
)

# serial numbers
N(
    "serial_number",
    "en",
    "warranty_form",
    """
Product: cordless drill · Serial number: {{SERIAL}} · Purchase date: {{DATE}}. Keep this card for warranty claims.
""",
)
N(
    "serial_number",
    "de",
    "helpdesk_ticket",
    """
Laptop defekt, Seriennummer {{SERIAL}}, Inventarnummer {{INVENTORY}}. Bitte ein Austauschgerät bereitstellen.
""",
)
N(
    "serial_number",
    "ko",
    "warranty_form",
    """
제품 시리얼 번호: {{SERIAL}}
구입일: {{DATE}}
""",
)

# coupon / discount codes (not labelled)
N(
    "coupon_code",
    "en",
    "newsletter",
    """
Spring sale! Use code {{COUPON}} at checkout for 20% off everything until {{DATE}}.
""",
)
N(
    "coupon_code",
    "de",
    "newsletter",
    """
Nur dieses Wochenende: Mit dem Gutscheincode {{COUPON}} sparen Sie 15 % auf Ihre Bestellung (gültig bis {{DATE}}).
""",
)
N(
    "coupon_code",
    "es",
    "social_media_post",
    """
¡Sorteo! Y para todos los que nos seguís: código {{COUPON}} con un 10 % de descuento en la tienda online 🎉
""",
)
N(
    "coupon_code",
    "id",
    "sms",
    """
Promo spesial! Pakai kode voucher {{COUPON}} untuk gratis ongkir. Berlaku sampai {{DATE}}.
""",
)
N(
    "coupon_code",
    "vi",
    "social_media_post",
    """
Nhập mã {{COUPON}} để được giảm 50K cho đơn từ 300K nhé cả nhà! Hạn dùng đến {{DATE}}.
""",
)

# Wi-Fi SSIDs without password
N(
    "wifi_ssid_no_password",
    "en",
    "hotel_info",
    """
Free Wi-Fi is available throughout the hotel. Connect to "{{SSID}}" and accept the terms on the welcome page; no password required.
""",
)
N(
    "wifi_ssid_no_password",
    "de",
    "email",
    """
Das Gäste-WLAN heißt {{SSID}}. Das Passwort erhalten Sie an der Rezeption.
""",
)
N(
    "wifi_ssid_no_password",
    "ja",
    "sign",
    """
無料Wi-Fi：{{SSID}}（パスワード不要）
ご利用は1回{{NSMALL}}分までです。
""",
)
N(
    "wifi_ssid_no_password",
    "fr",
    "sign",
    """
Wi-Fi gratuit : réseau {{SSID}}. Le code est disponible au comptoir sur demande.
""",
)

# hashtags
N(
    "hashtag",
    "en",
    "social_media_post",
    """
Finally finished my first half marathon in {{TIME2}} 🏃‍♀️ thanks @{{HANDLE}}! #running #halfmarathon #Berlin{{YEAR}} #runnersofinstagram
""",
)
N(
    "hashtag",
    "es",
    "social_media_post",
    """
Qué ganas de volver a la playa 🌊 con @{{HANDLE}} #verano{{YEAR}} #Cádiz #sinfiltros
""",
)
N(
    "hashtag",
    "tr",
    "social_media_post",
    """
Bugünkü kahvaltı harikaydı ☕ @{{HANDLE}} #pazarkeyfi #istanbul #kahvaltı{{YEAR}}
""",
)

# usernames / handles
N(
    "username_handle",
    "en",
    "social_media_post",
    """
Huge thanks to @{{HANDLE}} and @{{HANDLE}} for helping with the move this weekend! 🙌
""",
)
N(
    "username_handle",
    "de",
    "forum_post",
    """
@{{HANDLE}} hat das Problem schon im anderen Thread gelöst, schau mal dort rein. Mein Benutzername im Forum ist übrigens {{HANDLE}}.
""",
)
N(
    "username_handle",
    "pt",
    "social_media_post",
    """
Sigam a @{{HANDLE}} pra mais receitas! Meu usuário antigo era {{HANDLE}}, agora mudei.
""",
)
N(
    "username_handle",
    "ko",
    "kakaotalk_chat",
    """
[오후 2:10] {{FIRST}}: 인스타 아이디 {{HANDLE}} 팔로우해 줘!
""",
)

# version numbers
N(
    "version_number",
    "en",
    "release_notes",
    """
Version {{VER}} is now available. This release fixes a crash on startup and updates the bundled libraries to {{VER}}. Build {{BUILD}}.
""",
)
N(
    "version_number",
    "de",
    "changelog",
    """
Änderungen in Version {{VER}}: Fehlerbehebungen beim Export, neue Sprache Polnisch. Mindestanforderung: Android 1{{DIG1}}, Build {{BUILD}}.
""",
)
N(
    "version_number",
    "fi",
    "forum_post",
    """
Päivitin version {{VER}} ja nyt ohjelma kaatuu heti käynnistyksessä. Edellinen versio {{VER}} toimi hyvin.
""",
)

# dates and times
N(
    "date_time",
    "en",
    "meeting_invite",
    """
Meeting rescheduled to {{DATE}}, {{TIME}}–{{TIME}} (CET). Room 3.14, second floor.
""",
)
N(
    "date_time",
    "hi",
    "sms",
    """
आपकी अपॉइंटमेंट {{DATE}} को {{TIME}} बजे तय की गई है। कृपया 10 मिनट पहले पहुँचें।
""",
)
N(
    "date_time",
    "fa",
    "email",
    """
جلسه بعدی روز {{DATE}} ساعت {{TIME}} برگزار می‌شود. لطفاً گزارش‌ها را تا {{DATE}} بفرستید.
""",
)
N(
    "date_time",
    "th",
    "notice",
    """
ประกาศ: ปิดปรับปรุงระบบวันที่ {{DATE}} เวลา {{TIME}} ถึง {{TIME}} น.
""",
)

# phone numbers
N(
    "phone_number",
    "en",
    "email_signature",
    """
Kind regards,
{{NAME}}
Account Manager
Tel: {{PHONE}} | Mobile: {{PHONE}}
""",
)
N(
    "phone_number",
    "fr",
    "email_signature",
    """
Cordialement,
{{NAME}}
Tél. : {{PHONE}}
""",
)
N(
    "phone_number",
    "it",
    "sms",
    """
Per assistenza chiama il numero {{PHONE}} dal lunedì al venerdì, ore 9-18.
""",
)
N(
    "phone_number",
    "sw",
    "notice",
    """
Kwa maelezo zaidi piga simu {{PHONE}} au tembelea ofisi zetu.
""",
)
N(
    "phone_number",
    "tl",
    "sms",
    """
Tumawag sa {{PHONE}} para sa iba pang katanungan. Salamat!
""",
)
N(
    "phone_number",
    "ur",
    "notice",
    """
مزید معلومات کے لیے {{PHONE}} پر رابطہ کریں۔
""",
)

# IBAN-like numbers
N(
    "iban_like",
    "de",
    "invoice",
    """
Bitte überweisen Sie den Betrag innerhalb von 14 Tagen auf folgendes Konto: IBAN {{IBAN}}, BIC {{BIC}}. Verwendungszweck: {{INVNO}}
""",
)
N(
    "iban_like",
    "fr",
    "invoice",
    """
Règlement par virement : IBAN {{IBAN}} · BIC {{BIC}}. Merci d'indiquer la référence {{INVNO}}.
""",
)
N(
    "iban_like",
    "es",
    "whatsapp_chat",
    """
[18:03] {{FIRST}}: te paso mi IBAN para lo del alquiler: {{IBAN}} ¡gracias!
""",
)
N(
    "iban_like",
    "nl",
    "sms",
    """
Betaalverzoek: graag €25,00 overmaken naar {{IBAN}} t.n.v. {{NAME}}.
""",
)

# reserved-domain e-mails
N(
    "reserved_domain_email",
    "en",
    "documentation",
    """
To test the mailer locally, send a message to {{RESEMAIL}} and check the console output. Replies will come from {{RESEMAIL}}.
""",
)
N(
    "reserved_domain_email",
    "de",
    "documentation",
    """
Beispiel: Tragen Sie als Absender {{RESEMAIL}} ein und als Empfänger {{RESEMAIL}}.
""",
)
N(
    "reserved_domain_email",
    "es",
    "form_help",
    """
Introduce tu correo en el formato nombre@dominio, por ejemplo {{RESEMAIL}} (versión {{VER}} del formulario).
""",
)
N(
    "reserved_domain_email",
    "ja",
    "documentation",
    """
テスト用アドレス（{{RESEMAIL}}）宛に送信して動作を確認してください。
""",
)

# private / loopback / link-local IPs
N(
    "private_ip",
    "en",
    "admin_notes",
    """
The printer moved to {{PRIVIP}}; the old address {{PRIVIP}} is now the NAS. The gateway stays at 192.168.1.1.
""",
)
N(
    "private_ip",
    "de",
    "forum_post",
    """
Mein Pi hat die Adresse {{PRIVIP}}, aber ich erreiche den Webserver nur über 127.0.0.1 direkt am Gerät. Was mache ich falsch?
""",
)
N(
    "private_ip",
    "ru",
    "telegram_chat",
    """
{{FIRST}}, [15:30]
камера теперь на {{PRIVIP}}, роутер на {{PRIVIP}}
""",
)
N(
    "private_ip",
    "cs",
    "admin_notes",
    """
Interní síť: {{PRIVIP}}/24, rozsah DHCP {{PRIVIP}}–{{PRIVIP}}, link-local fe80::1 na rozhraní eth0, APIPA 169.254.{{NSMALL}}.{{NSMALL}}.
""",
)

# documentation IPs
N(
    "documentation_ip",
    "en",
    "documentation",
    """
In the examples below we use {{DOCIP}} for the client and {{DOCIP}} for the server. IPv6 examples use {{DOCIP6}}.
""",
)
N(
    "documentation_ip",
    "fr",
    "tutorial",
    """
Remplacez {{DOCIP}} par l'adresse de votre serveur dans la commande : ssh utilisateur@{{DOCIP}}
""",
)
N(
    "documentation_ip",
    "sv",
    "tutorial",
    """
Exempel: lägg till raden "server {{DOCIP}}" i konfigurationsfilen och starta om tjänsten.
""",
)

# masked card numbers
N(
    "masked_card",
    "en",
    "receipt",
    """
Card: VISA ************{{LAST4}}
Auth: approved · {{DATE}} {{TIME}}
""",
)
N(
    "masked_card",
    "de",
    "bank_notice",
    """
Ihre Kreditkarte mit der Endung {{LAST4}} wurde am {{DATE}} mit 42,90 EUR belastet.
""",
)
N(
    "masked_card",
    "es",
    "sms",
    """
Compra aprobada con tarjeta **** **** **** {{LAST4}} por 35,20 EUR en {{BRAND}}.
""",
)
N(
    "masked_card",
    "ja",
    "email",
    """
ご利用カード：{{MASKCARD}}
ご利用日：{{DATE}}
""",
)

# Luhn-invalid card numbers
N(
    "luhn_invalid_card",
    "en",
    "support_chat",
    """
[10:12] Agent: the number you entered, {{BADCARD}}, fails our validation. Could you check it again?
""",
)
N(
    "luhn_invalid_card",
    "de",
    "form_error",
    """
Fehler: Die Kartennummer {{BADCARD}} ist ungültig. Bitte überprüfen Sie Ihre Eingabe.
""",
)
N(
    "luhn_invalid_card",
    "pt",
    "qa_post",
    """
Por que o formulário recusa o número {{BADCARD}}? Copiei do cartão e mesmo assim diz "número inválido".
""",
)

# Luhn-valid numbers that are not cards
N(
    "luhn_valid_non_card_id",
    "en",
    "helpdesk_ticket",
    """
Phone stolen. IMEI: {{IMEI}}. Please block the device on the network and send the reference to my manager.
""",
)
N(
    "luhn_valid_non_card_id",
    "de",
    "receipt",
    """
Kundenkarte Nr. {{LOYALTY}} · Gesammelte Punkte: {{NSMALL}}0
""",
)
N(
    "luhn_valid_non_card_id",
    "it",
    "email",
    """
Il numero IMEI del telefono in riparazione è {{IMEI}}. Le comunicheremo il preventivo entro 3 giorni.
""",
)
N(
    "luhn_valid_non_card_id",
    "id",
    "sms",
    """
Nomor kartu member Anda {{LOYALTY}}. Tunjukkan di kasir untuk mengumpulkan poin.
""",
)

# maths and tables with long numbers
N(
    "math_long_numbers",
    "en",
    "homework",
    """
Exercise 4: multiply {{BIG8}} by {{BIG8}} and round the result to three significant figures. Bonus: show that 2^64 = 18446744073709551616.
""",
)
N(
    "math_long_numbers",
    "de",
    "fixed_width_table",
    """
Jahr    Einwohner     Haushalte
2019    {{BIG7}}       {{BIG6}}
2020    {{BIG7}}       {{BIG6}}
2021    {{BIG7}}       {{BIG6}}
""",
)
N(
    "math_long_numbers",
    "ru",
    "homework",
    """
Задача 7. Найдите сумму чисел {{BIG9}} и {{BIG9}}, затем разделите результат на 3. Проверьте, делится ли число {{BIG16}} на 9.
""",
)
N(
    "math_long_numbers",
    "zh",
    "report",
    """
本年度营业收入 {{BIG10}} 元，同比增长 {{PERCENT}}%，净利润 {{BIG9}} 元。
""",
)

# chemical formulas
N(
    "chemical_formula",
    "en",
    "classroom_handout",
    """
Lab 5: Dissolve {{NSMALL}} g of CuSO4·5H2O in 100 mL of water, then add NaOH dropwise. Write the balanced equation for the formation of Cu(OH)2.
""",
)
N(
    "chemical_formula",
    "de",
    "classroom_handout",
    """
Versuch {{NSMALL}}: Reaktion von H2SO4 mit NaHCO3. Beobachte die Bildung von CO2 und notiere die Temperatur nach {{NSMALL}} Minuten.
""",
)
N(
    "chemical_formula",
    "ru",
    "classroom_handout",
    """
Лабораторная работа № {{NSMALL}}: получение C2H5OH брожением C6H12O6. Масса навески {{NSMALL}} г.
""",
)
N(
    "chemical_formula",
    "zh",
    "classroom_handout",
    """
实验{{NSMALL}}：将{{NSMALL}}克KMnO4加热分解，收集O2，并写出化学方程式 2KMnO4 → K2MnO4 + MnO2 + O2↑。
""",
)

# words mixing letters and digits
N(
    "alnum_words",
    "en",
    "blog_post",
    """
Since COVID-19 we work mostly remote: a 4K monitor, a USB-C dock and an old MP3 player for focus music. Printouts are A4 only. ({{NAME}}, {{DATE}})
""",
)
N(
    "alnum_words",
    "de",
    "classified_ad",
    """
Verkaufe iPhone15 Pro, 256 GB, Akku 9{{DIG1}} %, dazu Ladekabel USB-C. B2B-Anfragen gerne per PN. Abholung in {{CITY}}.
""",
)
N(
    "alnum_words",
    "fr",
    "news",
    """
Le salon B2B du {{DATE}} présentera des écrans 8K, des drones et les premières box Wi-Fi 7.
""",
)
N(
    "alnum_words",
    "es",
    "review",
    """
El portátil viene con Windows 11, 16 GB de RAM DDR5 y puerto HDMI 2.1. Lo compré el {{DATE}} y va genial.
""",
)

# citations
N(
    "citation",
    "en",
    "paper_reference",
    """
See {{LAST}} et al. ({{YEAR}}), doi:{{DOI}}, and the preprint arXiv:{{ARXIV}}. ISBN of the textbook: {{ISBN}}.
""",
)
N(
    "citation",
    "de",
    "bibliography",
    """
{{LAST}}, M. ({{YEAR}}): Grundlagen der Statistik. 3. Aufl., ISBN {{ISBN}}.
""",
)
N(
    "citation",
    "it",
    "thesis",
    """
Come mostrato in [{{NSMALL}}] (DOI {{DOI}}), il metodo converge in meno di {{NSMALL}} iterazioni.
""",
)

# checksums and commit hashes
N(
    "checksum_hash",
    "en",
    "release_notes",
    """
Verify the download before installing:
SHA256 (installer-{{VER}}.dmg) = {{SHA256}}
""",
)
N(
    "checksum_hash",
    "de",
    "changelog",
    """
Commit {{SHA1}} behebt den Fehler beim PDF-Export. Siehe Merge-Request !{{NSMALL}}.
""",
)
N(
    "checksum_hash",
    "pl",
    "forum_post",
    """
Suma kontrolna MD5 obrazu ISO: {{MD5}} · u mnie się zgadza.
""",
)

# request / correlation ids
N(
    "uuid_request_id",
    "en",
    "error_report",
    """
Something went wrong. Please contact support and quote request ID {{UUID}} ({{DATE}} {{TIME}} UTC).
""",
)
N(
    "uuid_request_id",
    "ja",
    "error_report",
    """
エラーが発生しました。お問い合わせの際は、リクエストID「{{UUID}}」をお伝えください。
""",
)
N(
    "uuid_request_id",
    "es",
    "helpdesk_ticket",
    """
El error ocurre al guardar. ID de correlación: {{UUID}}. Pasa desde la versión {{VER}}.
""",
)

# meeting ids without passcode
N(
    "meeting_id_no_passcode",
    "en",
    "meeting_invite",
    """
Join the weekly sync: meeting ID {{MEETID}}. The passcode will be shared in the team channel before the call.
""",
)
N(
    "meeting_id_no_passcode",
    "de",
    "meeting_invite",
    """
Einwahl per Telefon: {{PHONE}}, Konferenz-ID {{MEETID}}#
""",
)
N(
    "meeting_id_no_passcode",
    "nl",
    "email",
    """
Vergadering op {{DATE}} om {{TIME}}. Meeting-ID: {{MEETID}}. De toegangscode volgt in een aparte uitnodiging.
""",
)

# ticket / case references
N(
    "ticket_reference",
    "en",
    "helpdesk_reply",
    """
Your request has been logged as {{CASE}}. Please keep this number for any follow-up. Average response time: {{NSMALL}} hours.
""",
)
N(
    "ticket_reference",
    "de",
    "email",
    """
Vielen Dank für Ihre Meldung. Vorgangsnummer: {{CASE}}. Wir melden uns innerhalb von zwei Werktagen.
""",
)
N(
    "ticket_reference",
    "hu",
    "email",
    """
Bejelentését rögzítettük, ügyszáma: {{CASE}}. Kollégánk hamarosan felveszi Önnel a kapcsolatot.
""",
)


# --------------------------------------------------------------------------
# Build + checks
# --------------------------------------------------------------------------
SECRET_BAD_END = tuple(".,!?:;")
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def check_span_value(sp):
    v, ent, kind = sp["_val"], sp["entity"], sp["_kind"]
    if ent == "EMAIL_ADDRESS":
        assert EMAIL_RE.fullmatch(v), v
        assert not is_reserved_domain(v.split("@", 1)[1]), v
    elif ent == "IP_ADDRESS":
        assert ip_is_public(v), v
    elif ent == "CREDIT_CARD":
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", v), v
        d = re.sub(r"[ -]", "", v)
        assert luhn_ok(d) and card_brand(d) and card_brand(d) != "maestro", v
    elif ent == "SECRET":
        assert v and not v.endswith(SECRET_BAD_END), v
        if kind in PASSWORD_KINDS:
            assert v[0].isalnum(), v
            assert not re.search(r"\s", v), v
            assert not v.isalpha(), v
            assert not looks_like_other_entity(v), v
    else:
        raise AssertionError(ent)


def check_record(rec, positive):
    text, spans = rec["text"], rec["spans"]
    last_end = -1
    for sp in spans:
        assert text[sp["start"] : sp["end"]] == sp["_val"], (rec["id"], sp)
        assert sp["start"] >= last_end, ("overlap", rec["id"])
        assert sp["end"] > sp["start"]
        last_end = sp["end"]
        check_span_value(sp)
    if positive:
        assert spans, rec["id"]
    else:
        assert not spans, rec["id"]
    assert rec["lang"] in LANGS
    assert SNAKE.match(rec["context"]) and SNAKE.match(rec["category"])
    return scan(unlabelled_view(text, spans))


def build():
    records, seen_texts = [], set()
    tnum = 0
    groups = [(True, "positive", l, c, t) for (l, c, t) in POS] + [(False, cat, l, c, t) for (cat, l, c, t) in NEG]
    for positive, cat, lang, ctx, tpl in groups:
        tnum += 1
        has_card = any(k in tpl for k in ("{{CARD", "{{VISA", "{{MC", "{{AMEX", "{{JCB", "{{MIR", "{{UNIONPAY"))
        if positive:
            n = R.randint(3, 4) if has_card else R.randint(2, 4)
        else:
            n = R.randint(3, 4)
        for v in range(1, n + 1):
            for attempt in range(500):
                text, spans = render(tpl, lang)
                rec = {
                    "id": f"t{SET_NO}-{tnum:03d}-{v}",
                    "text": text,
                    "lang": lang,
                    "context": ctx,
                    "category": cat,
                    "spans": spans,
                }
                if text in seen_texts:
                    continue
                if check_record(rec, positive):
                    continue  # scanner hit in unlabelled text: redraw values
                break
            else:
                raise SystemExit(f"could not render template {tnum} ({lang}/{ctx}) cleanly")
            seen_texts.add(text)
            records.append(rec)
    return records, tnum


def final_checks(records):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for r in records:
        positive = r["category"] == "positive"
        hits = check_record(r, positive)
        assert not hits, (r["id"], hits)
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    negs = [r for r in records if r["category"] != "positive"]
    assert ent["SECRET"] >= 800, ent
    assert ent["EMAIL_ADDRESS"] >= 200, ent
    assert ent["IP_ADDRESS"] >= 150, ent
    assert ent["CREDIT_CARD"] >= 120, ent
    assert len(POS) >= 150, len(POS)
    assert len(negs) >= 400, len(negs)
    assert len({r["category"] for r in negs}) >= 30
    assert len({r["lang"] for r in records}) >= 35
    for _l, _c, t in POS:
        assert PH.search(t)
    return ent


def main():
    for lang in DOMAINS:
        for d in DOMAINS[lang]:
            assert not is_reserved_domain(d), d
    records, ntpl = build()
    ent = final_checks(records)
    # strip private bookkeeping, round-trip through JSON and re-verify offsets
    lines = []
    for r in records:
        out = {
            "id": r["id"],
            "text": r["text"],
            "lang": r["lang"],
            "context": r["context"],
            "category": r["category"],
            "spans": [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]],
        }
        lines.append(json.dumps(out, ensure_ascii=False))
    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    with open(OUT_PATH, encoding="utf-8") as fh:
        back = [json.loads(x) for x in fh]
    for r, b in zip(records, back):
        assert b["text"] == r["text"]
        for s, sb in zip(r["spans"], b["spans"]):
            assert b["text"][sb["start"] : sb["end"]] == s["_val"]

    pos = [r for r in records if r["category"] == "positive"]
    neg = [r for r in records if r["category"] != "positive"]
    kinds = Counter(s["_kind"] for r in records for s in r["spans"])
    print(f"wrote {OUT_PATH}")
    print(f"records: {len(records)}  (positive {len(pos)}, hard negative {len(neg)})")
    print(f"templates: {ntpl}  (positive {len(POS)}, negative {len(NEG)})")
    print("spans per entity:", dict(sorted(ent.items())))
    print("spans by generator kind:", dict(kinds.most_common()))
    print(
        f"negative categories ({len(Counter(r['category'] for r in neg))}):",
        dict(sorted(Counter(r["category"] for r in neg).items())),
    )
    langs = Counter(r["lang"] for r in records)
    print(f"languages ({len(langs)}):", dict(sorted(langs.items())))
    ctxs = Counter(r["context"] for r in records)
    print(f"contexts ({len(ctxs)}):", dict(sorted(ctxs.items())))


if __name__ == "__main__":
    main()
