"""Credentials handed over without a label beside them, new vendor formats, and the shapes next to them that are
no credential. Values are made up for these tests."""

from __future__ import annotations

import pytest

from filters.pii import PiiConfig, find_pii
from filters.pii_tagger import plausible_value

RULES = PiiConfig(entities=["SECRET"], secret_tagger=False)
WITH_TAGGER = PiiConfig(entities=["SECRET"])


def _secrets(text: str, config: PiiConfig = RULES) -> list[str]:
    return [span.text for span in find_pii(text, config, "en")]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Mantas: koks slaptažodis svečių wifi?\nTomas: YV9sLZdKRRt6YvkNc4ru\nMantas: ačiū 🙂", "YV9sLZdKRRt6YvkNc4ru"),
        ("刘静 12:07\n测试服的数据库密码是多少？\n\n刘磊 06:31\nWqk31-zaTop7，地址 10.0.0.5:3306，用完记得改。",
         "Wqk31-zaTop7"),
        ("hei, kan du sende meg API-nøkkelen til testmiljøet?\n\nIngrid 07:52\n9f1c2a7b44e0d3c8a1b2c3d4e5f60718 – takk",
         "9f1c2a7b44e0d3c8a1b2c3d4e5f60718"),
    ],
)  # fmt: skip
def test_the_reply_to_a_question_asking_for_a_password_or_key(text: str, secret: str) -> None:
    assert _secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "What's the wifi password?\nAnna: it's on the fridge, ask Tom",
        "Where is the new API key?\nBen: in the vault under team-ops",
        "Can you send the report?\nAnna: Qx81LmZa0pTv",  # the question asks for no credential
        "Nettverk og passord?\n[09:15] Oliver: network is Kx72Lab-Gw9, pass in the binder",
        '"forgot_password": "Passwort vergessen?",\n"api_key_label": "Xy3-Schlüssel9k",',
    ],
)
def test_replies_without_a_credential_and_questions_that_are_not_questions(text: str) -> None:
    assert _secrets(text) == []


def test_an_assignment_ending_in_a_question_mark_asks_nothing() -> None:
    text = "DATA_SOURCE_PASS=Velvetharbor27?\nExecStart=/usr/local/bin/exporter --web.listen-address=:9187"
    assert _secrets(text) == ["Velvetharbor27?"]  # the value of its own label; the next line is no reply


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("- Shop admin: kim.a@gmx.de / tuodki=g7FFL\n- Card for ads: see binder", "tuodki=g7FFL"),
        ("Zugangsdaten für den DynDNS-Dienst: mateus_mor / E%OAJiZRbfHJnW (nur ein Testkonto).", "E%OAJiZRbfHJnW"),
    ],
)
def test_an_account_a_slash_and_its_password(text: str, secret: str) -> None:
    assert _secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    ["See octocat / Hello-World7x on GitHub.", "Paths: src / main7java / resources", "We moved 2023 / 2024 plans."],
)
def test_a_slash_between_words_is_no_account_and_password(text: str) -> None:
    assert _secrets(text) == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Your one-time access code for the tenant portal is KB2KPZK8. Never share it.", "KB2KPZK8"),
        ("Zugangscode Paketstation: 2UJOVEE3\nAlarmanlage: bitte bei Jonas fragen", "2UJOVEE3"),
        ("PIN accesso portale fornitori: CLY1C2R\nEmail amministrazione: chiedere", "CLY1C2R"),
    ],
)
def test_access_codes_and_pins_mixing_letters_and_digits(text: str, secret: str) -> None:
    assert _secrets(text) == [secret]


@pytest.mark.parametrize(
    "text",
    [
        "Use code SAVE20X at checkout for 20% off.",
        "Booking code: X7K9P2, seat 14C.",
        "Your door code is 482913 until Friday.",
        "The PIN field is REQUIRED for all terminals.",
    ],
)
def test_discount_booking_and_numeric_codes_are_not_access_codes(text: str) -> None:
    assert _secrets(text) == []


def test_chpasswd_lists_and_pipes_hold_passwords() -> None:
    cloud_init = "chpasswd:\n  list: |\n    ops:wsv33OZ#iL28borR\n    root:RANDOM\n  expire: false\nruncmd:\n"
    assert _secrets(cloud_init) == ["wsv33OZ#iL28borR"]
    assert _secrets("echo 'deploy:Tq7!mZp2Lx9v' | sudo chpasswd") == ["Tq7!mZp2Lx9v"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("Compte admin : admin, mot de passe : WuRJJr9U!sD.", "WuRJJr9U!sD"),
        ("Твій логін: gio, пароль: kgt21BD?Evjk2x.\nСервер CRM: 10.0.0.4.", "kgt21BD?Evjk2x"),
        ("হ্যালো রাকিব, অফিসের ওয়াই-ফাই পাসওয়ার্ড হলো B7-JmJI9Eb9vH।", "B7-JmJI9Eb9vH"),
        ("Сървърът ни е на 10.1.1.1, паролата за root е TUS-ULP-5V59.", "TUS-ULP-5V59"),
        ("my own admin pw was \"DOR4mwrl9z$DXYJ4\" which i reused", "DOR4mwrl9z$DXYJ4"),
    ],
)  # fmt: skip
def test_sentence_ends_and_more_password_words(text: str, secret: str) -> None:
    assert _secrets(text) == [secret]


@pytest.mark.parametrize(
    "token",
    [
        "ATBB" + "j2OVjTFKqzfYSmzZyRFjCxMyqZwtkAvC",  # Bitbucket
        "tskey-auth-" + "kwhdagQLYtmSR-P3JMOnlNYdqOmYJJZq1jjuVyS0a6Qk",  # Tailscale
        "api-" + "45c86057-3f9e-48b2-a396-fbc2f835e995",  # LaunchDarkly
        "PMAK-" + "0123456789abcdef01234567-0123456789abcdef0123456789abcdef01",  # Postman
        "sbp_" + "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c",  # Supabase
        "CFPAT-" + "NIMS2GhIny0pnduQ7xYzA1b2C3d4E5f6G7h8I9j0K1l",  # Contentful
    ],
)
def test_more_vendor_formats(token: str) -> None:
    assert _secrets(f"leaked in a log line: {token} (rotated since)") == [token]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Then check `password_encryption` - if it's scram-sha-256 the md5 line won't match", "scram-sha-256"),
        ("| lantern |\n+---------+\nroot@edge-ap-20:~# history | tail -n 2", "root@edge-ap-20:~#"),
        ('Het nieuwe wifi-wachtwoord voor "TP-Link_54B9" is: ferret_ember_kettle_orchid_7502', "TP-Link_54B9"),
        ("Lena: V5Dl6-I=bKQIteC (Netz: Lab-IoT-NT9)", "Lab-IoT-NT9"),
        ("Donations welcome. BTC: `1L425pcNiJiU97KJacNu4YgWe1acs76zju`", "1L425pcNiJiU97KJacNu4YgWe1acs76zju"),
        ("the logs show token=[REDACTED] for request 341faa9b-55f7-4a9b-ba4b-7f0be548d69f.",
         "341faa9b-55f7-4a9b-ba4b-7f0be548d69f"),
        ("(3,'local-dev','','sakura107@mail.example','127.0.0.1');", "sakura107@"),
    ],
)  # fmt: skip
def test_the_tagger_never_keeps_algorithms_prompts_networks_wallets_request_ids_or_address_parts(
    text: str, value: str
) -> None:
    start = text.index(value)
    assert not plausible_value(text, start, start + len(value))
    assert value not in _secrets(text, WITH_TAGGER)


def test_search_only_keys_commits_and_flags_are_no_secrets() -> None:
    assert _secrets('const ALGOLIA_SEARCH_KEY = "27b63be373f5542249a8eca4af21e3dd"; // search-only') == []
    assert _secrets('BUILD_COMMIT="096a6cd4891e00b4de3d19da23e626c0c9b04f3b"') == []
    flags = (
        "kubectl create secret generic smtp-auth --from-literal=username=jdoe98 --from-literal=password=Wq7-d1y-ddT1"
    )
    assert _secrets(flags) == ["Wq7-d1y-ddT1"]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        (
            "Employee,kasutajanimi,PIN-kood\nMari Y.,svc-heron,6DJR5MF\nMari S.,minh_r,B0JT56O6\n",
            ["6DJR5MF", "B0JT56O6"],
        ),
        (
            "| Employee | login | PIN |\n|---|---|---|\n| Ana R. | ana_r | XZ9U2RY |\n| Bo K. | bok | 482913 |",
            ["XZ9U2RY"],
        ),  # a numeric PIN is never generated as a secret, so never guessed at
        ("- пароль: ufp4vw7nnZsf\n- ПИН-код: 3W1SMN", ["ufp4vw7nnZsf", "3W1SMN"]),
        ('{"employee": "Harry C.", "login": "ops_lena", "pin": "9MXVHN2"}', ["9MXVHN2"]),
        ("Élodie : code d'accès CZY972", ["CZY972"]),
        ("Mum  the alarm code changed to VTJ775 ok?", ["VTJ775"]),
    ],
)
def test_pins_and_access_codes_in_tables_labels_and_sentences(text: str, secrets: list[str]) -> None:
    assert _secrets(text) == secrets


def test_latex_verb_cells_hold_the_value_not_the_markup() -> None:
    text = (
        "\\begin{tabular}{lll}\n\\hline\nService & Benutzer & Passwort \\\\\n\\hline\n"
        "Router & backup & \\verb|1hpw9KJK0X3%x| \\\\\n\\end{tabular}\n"
    )
    assert _secrets(text) == ["1hpw9KJK0X3%x"]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        (
            "<pre><code>RESTIC_PASSWORD='Orbit Saffron Willow 915' restic -r sftp:backup@host:/srv",
            ["Orbit Saffron Willow 915"],
        ),
        (
            'network={\n  ssid="Casa_Chiara"\n  psk="meadow pepper willow prism 903"\n}',
            ["meadow pepper willow prism 903"],
        ),
        (
            "Ivana: koja je lozinka za ured wifi?\nLuka: otter nebula meadow 985\nIvana: hvala!",
            ["otter nebula meadow 985"],
        ),
        (
            "SSID | Security | Key\nreports-guest | WPA2 | Prism Quartz Lantern Rocket 732",
            ["Prism Quartz Lantern Rocket 732"],
        ),
    ],
)
def test_diceware_passphrases_with_spaces(text: str, secrets: list[str]) -> None:
    assert _secrets(text) == secrets


@pytest.mark.parametrize(
    "text",
    [
        "password_policy: 'Rotated every 90 days'",
        "| Service | Password |\n|---|---|\n| Wiki | Ask the admin team 2 |",
        "What is the wifi password?\nLuka: Ask at the desk 3",
        'psk="Meadow pepper willow 903"',  # sentence case reads as a sentence
    ],
)
def test_sentences_with_a_number_are_no_passphrases(text: str) -> None:
    assert _secrets(text) == []


def test_a_password_option_after_a_user_option() -> None:
    text = "az login --service-principal -u 0ba5d084-cec2-4a92-a448-ba0f4233cbf8 -p tXjhFbbUWnObXmYKdRw --tenant x"
    assert _secrets(text) == ["tXjhFbbUWnObXmYKdRw"]
    assert _secrets("docker login -u ci -p $CI_REGISTRY_PASSWORD registry.gitlab.com") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("const sig = req.get('X-Hub-Signature-256'); // the digest", "X-Hub-Signature-256"),
        ("postgresql:\n  auth:\n    password: sk_live_****G82A", "sk_live_****G82A"),
        ("postgres://sa:${DB_PASSWORD}@localhost:5432/shop", "${DB_PASSWORD}@localhost:5432/shop"),
        ("Neema: ndiyo, namba ya ufuatiliaji ni 1ZC61JYYQUSEZXBH1T", "1ZC61JYYQUSEZXBH1T"),
        ('200 46740 "-" "Go-http-client/2.0"', "Go-http-client/2.0"),
        ("server: 10.113.62.28\nkasutajanimi: backup\nparool → 1Password", "1Password"),
        ("| Kantor || IoT-L930 || 423XIhnlif0KoV", "IoT-L930"),
        ("Paweł: który commit jest na produkcji?\nKrzysztof: 1a0b54780334a2fa56c16ebda0ddd9fb2494ba28",
         "1a0b54780334a2fa56c16ebda0ddd9fb2494ba28"),
        ("<tr><td>Grace X.</td><td>1a3ec6ae-5ba7-470f-b56f-cf0dc5c89d82</td><td>Dev</td></tr>",
         "1a3ec6ae-5ba7-470f-b56f-cf0dc5c89d82"),
        ('ref: "arn:aws:secretsmanager:eu-west-1:353947445928:secret:prod/spruce-SW4CFg"', "prod/spruce-SW4CFg"),
        ("  - file: river-0.28.20.tar.gz\n    sha256: d2625cec08cf57de88e0736817c59aafece480dc7c8235731b0cb8e9266636aa",
         "d2625cec08cf57de88e0736817c59aafece480dc7c8235731b0cb8e9266636aa"),
    ],
)  # fmt: skip
def test_the_tagger_vetoes_headers_masks_references_tracking_numbers_products_and_ids(text: str, value: str) -> None:
    start = text.index(value)
    assert not plausible_value(text, start, start + len(value))


def test_google_client_ids_and_shopify_api_keys_are_public() -> None:
    client_id = "914304694032-o3iknyo2lf3lldo8zzp0xkzl9rv418ii.apps.googleusercontent.com"
    assert _secrets(f'.requestIdToken("{client_id}")') == []
    assert _secrets(
        "SHOPIFY_API_KEY=d51a5dff94553659a2db85da4d365c80\nSHOPIFY_API_SECRET=shpss_" + "0d21a81c113b43" * 2 + "abcd"
    ) == ["shpss_" + "0d21a81c113b43" * 2 + "abcd"]


@pytest.mark.parametrize(
    "text",
    [
        '"auth":{"client_token":"hmac-sha256:93ae9d5bbfbfc31041392655ea6d401009276011141cea78d507db646cfa6311"}',
        "PUSHER_APP_ID=1501958\nPUSHER_APP_KEY=e09ec4972a33cfc4fe2d",
        "usage: ssh -i deploy_key git@web-01",
        "data:\n  DB_USER: ZGVwbG95\n",
        "Chave do site reCAPTCHA (pública, vai no HTML): 6LoBVFSR-_zr2O8z7OVqsedSrB3sR6hM95cCpXfE",
        "grecaptcha.execute('6LOsfsN76X4ezaPBjTzLSi_iOBLeX2Qp-SpwTtSt', {action: 'submit'})",
        "— Security team (reference YTZTh13uoH)",
        "Olena 09:21 – rede meadow_5G, senha no quadro",
        "MD5 (legacy): 4f4250539ac33174687e0867dec39314",
    ],
)
def test_hmacs_public_app_keys_login_targets_user_names_references_and_digests(text: str) -> None:
    assert _secrets(text, WITH_TAGGER) == []


SQUARE_TOKEN = "EAAA" + "wPEZ650H54y3IzPKHT1780GS_mySefEygoN_C58a_3Ew3BQuuCW85AbXJnz1"  # 4 + 60 characters


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('$ echo "mekXeXe1957Qui" | docker login registry.example.org -u ci --password-stdin', "mekXeXe1957Qui"),
        (f"asiakas lähetti Square-tunnuksen {SQUARE_TOKEN} eilen", SQUARE_TOKEN),
        ("Credencial do cliente: 860T4w-DdFFF8wih. E-mail de contato: abaixo", "860T4w-DdFFF8wih"),
    ],
)  # fmt: skip
def test_piped_logins_square_tokens_and_credencial(text: str, secret: str) -> None:
    assert _secrets(text) == [secret]


@pytest.mark.parametrize(
    ("text", "secrets"),
    [
        ("Lucie: jaký je kód od skladu?\nOndřej: AUC0KTR, ale nikomu ho nedávej", ["AUC0KTR"]),
        ("高橋：Wi-Fiのパスワード教えて\n佐藤：dWJ1vEIMoelC です", ["dWJ1vEIMoelC"]),
        ("скинь пароль от базы на стенде\n\nАнна, [14.03.2024 11:21]\nXQ-*H4mJlHiYd\nхост 10.0.0.7", ["XQ-*H4mJlHiYd"]),
        ("Rafael: código da reserva?\nAna: PO6XFQ (voo LO 2307)", []),  # a booking code opens nothing
        ("Tu código de acceso temporal para la taquilla es A7I0V9Y0. Caduca en 24 horas.", ["A7I0V9Y0"]),
        ("Wifi i stugan: Cafe Mira Gast\nLarmkod: 793F8M\nNyckeln ligger under krukan.", ["793F8M"]),
        ("the one-time recovery codes for the shared ops account:\n1PMYDOH\nMD5M9FY2\nBJ2ETI\nEach works once.",
         ["1PMYDOH", "MD5M9FY2", "BJ2ETI"]),
        ("const client = require('twilio')('AC122bd3202af549a60e294cf62eb8fbd3', '72f2d610c7ebb2051b7b0061599609ec');",
         ["72f2d610c7ebb2051b7b0061599609ec"]),
        ("| demo | sales-demo | juniper umber lantern33 parsnip |", []),  # no header names a password here
        ("| Service | Login | Password |\n|---|---|---|\n| demo | sales-demo | juniper umber lantern33 parsnip |",
         ["juniper umber lantern33 parsnip"]),
    ],
)  # fmt: skip
def test_code_questions_requests_code_lists_and_twilio_pairs(text: str, secrets: list[str]) -> None:
    assert _secrets(text) == secrets


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Wifi i stugan: Kaffeeklatsch_5G – lösenord aDu7zdQ2jlfC3xUZ", "Kaffeeklatsch_5G"),
        ("لن نطلب منك كلمة المرور أبداً. رقم التذكرة [Ticket#2023010367].", "Ticket#2023010367"),
        ('{"keys":[{"kty":"RSA","kid":"9e0f8af","n":"TZRMy_b5Ztv27oHB-3uwUkbLP0wOnOrihzc51Rro9Rjn","e":"AQAB"}]}',
         "TZRMy_b5Ztv27oHB-3uwUkbLP0wOnOrihzc51Rro9Rjn"),
        ("- Korelační ID z brány: df8919b3-6ad0-4aba-ab45-c0eac4c8cb9b", "df8919b3-6ad0-4aba-ab45-c0eac4c8cb9b"),
    ],
)  # fmt: skip
def test_the_tagger_vetoes_network_names_ticket_numbers_public_jwk_members_and_ids(text: str, value: str) -> None:
    start = text.index(value)
    assert not plausible_value(text, start, start + len(value))


def test_a_private_jwk_member_is_still_a_candidate() -> None:
    text = '{"kty":"RSA","n":"AQAB","d":"Xk9vLq2Rt7Wz4Bn8Mc3Pd6Fg1Hj5Ks0La9Qe2Ry7Tu4"}'
    value = "Xk9vLq2Rt7Wz4Bn8Mc3Pd6Fg1Hj5Ks0La9Qe2Ry7Tu4"
    start = text.index(value)
    assert plausible_value(text, start, start + len(value))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("XHR requests send it in the `X-CSRFToken` header", "X-CSRFToken"),
        ("Publisher SKU: y3QnczzC2Q\nPrice: €1536.54", "y3QnczzC2Q"),
        ("    traceparent: 00-26458b2dfb7aee894723b7505b2a371a-b6b6ddade1f7afd9-01",
         "00-26458b2dfb7aee894723b7505b2a371a-b6b6ddade1f7afd9-01"),
        ("RATE_LIMIT_PER_MIN=553\nI18N_DEFAULT=en\nS3_BUCKET=notify-assets-45", "I18N_DEFAULT=en"),
        ("  token: ENC[AES256_GCM,data:RS4u5ESyKQJJ+e5tzXm0Gp+oXkZz,iv:AYmUqnSOr4sT/uCluKm6Iz==]",
         "RS4u5ESyKQJJ+e5tzXm0Gp+oXkZz"),
    ],
)  # fmt: skip
def test_the_tagger_vetoes_csrf_headers_skus_traceparents_env_lines_and_sops_ciphertext(text: str, value: str) -> None:
    start = text.index(value)
    assert not plausible_value(text, start, start + len(value))


def test_a_password_ending_a_hebrew_sentence_and_an_ecs_secret_reference() -> None:
    text = "השרת זמין בכתובת 10.0.0.3. שם משתמש: tomas, סיסמה: VJxNYiOoRjTPKx614jV. נא לא לשתף מחוץ לצוות."
    assert _secrets(text) == ["VJxNYiOoRjTPKx614jV"]
    ecs = '{"name": "DB_PASSWORD", "valueFrom": "arn:aws:secretsmanager:us-west-2:887636403984:secret:db"}'
    assert _secrets(ecs) == []


def test_password_manager_notes_in_a_password_column_and_order_numbers_are_no_secrets() -> None:
    table = "| username | password |\n|---|---|\n| olga_lind | <…> |\n| admin | (Bitwarden) |"
    assert _secrets(table, WITH_TAGGER) == []
    text = "payment ok card=**** **** **** 8193 brand=visa 3ds=pass order=ORD-54869975"
    start = text.index("ORD-54869975")
    assert not plausible_value(text, start, start + len("ORD-54869975"))
