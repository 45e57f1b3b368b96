#!/usr/bin/env python3
"""Generator for PII test set 33 (blind hold-out set, written without looking at the detector).

What it does
------------
Writes pii_testset33.jsonl (next to this script): about 1200 labelled records for a PII / secrets detector
(entities EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET). The random generator is seeded with
random.Random(333333) and only the Python standard library is used, so the output is reproducible.

Content:
* ~65 % natural-language records in 43 languages (Latin, Cyrillic, Greek, Arabic, Hebrew, Persian,
  Devanagari, Bengali, Tamil, Thai, CJK, Hangul scripts): chat exports and threads, e-mails to
  colleagues and family, support tickets, handover/onboarding notes, wiki / Markdown / HTML / CSV /
  TSV / plain-text account tables, invoices and order confirmations, web-form dumps. Each language
  has a phrase book (written for this set); every (structure, language) pair is one template.
* ~35 % code / config / logs that small teams share (.env, compose, k8s, curl, git remotes, DSNs,
  client libraries of ~40 real vendor token formats, auth logs, mail logs, SQL fixtures ...).
* Hard negatives (no spans) from the same sources: order / tracking / booking / ticket / invoice
  numbers, masked cards, Luhn-invalid numbers, password hashes (bcrypt, crypt, argon2, Cisco 8/9),
  digests, commit SHAs, request / idempotency ids, cache keys, CSRF tokens, nonces, Vault accessors,
  publishable keys, Mapbox public tokens, OAuth client ids, reCAPTCHA site keys, SSH / PEM public
  keys, certificates, wallets, placeholders, env-var references, vendor documentation example keys,
  private / documentation / special IPs, reserved-domain e-mails, password-policy text, SSIDs ...

Templates use two markers: <<key>> written as the guillemet form (unlabelled filler, cached per record)
and the double-angle-bracket form ENTITY:generator (a labelled value; its offsets are recorded at
insertion time, never searched for afterwards).

Checks (all fatal asserts, run before the file is written)
----------------------------------------------------------
* text[start:end] equals the inserted value for every span; spans sorted and non-overlapping;
* every IP span parses, is_global and is outside 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32;
* every CREDIT_CARD span is Luhn-valid with a real brand prefix and length (separators allowed);
* every e-mail span has a non-reserved domain (no example.*, .test, .invalid, .localhost, .example);
* password-like SECRET spans (pw, pwurl, phrase, pin) follow the labelling guide (length, character
  mix, no leading symbol, no trailing . , ! ? : ;); no SECRET contains EXAMPLE / xxxx / your_;
* ids unique, texts unique, positives have >= 1 span, negatives have none;
* a simple scanner run over negative texts and over the unlabelled parts of positive texts (spans
  masked) finds no public IPv4, no Luhn-valid brand-prefixed card number (13-19 digits, optional
  space/dash grouping) and no e-mail address on a non-reserved domain. No category-specific
  exceptions are needed. (IPv6 is not scanned; negative templates only contain documentation,
  ULA, link-local or loopback IPv6 by construction.)
A record whose unlabelled part trips the scanner (e.g. a random order number that happens to be a
Luhn-valid card) is regenerated with fresh random values; the final asserts are still run on all output.
"""

import base64
import ipaddress
import json
import os
import re
import string
import sys
from collections import Counter

import random

RNG = random.Random(333333)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset33.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
URLSAFE = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
SYM = "!%*+=@^_~-"
FORBIDDEN_IN_SECRET = ("example", "xxxx", "your_")


def rs(rng, n, alpha=ALNUM):
    return "".join(rng.choice(alpha) for _ in range(n))


# ----------------------------------------------------------------------------- phrase books
# key order of the phrase book lines
LKEYS = [
    "hi",
    "thx",
    "pw",
    "user",
    "mail",
    "card",
    "exp",
    "wifi",
    "srv",
    "order",
    "total",
    "here",
    "del",
    "policy",
    "track",
    "book",
    "ending",
    "key",
    "ticket",
    "paid",
    "ip",
    "new",
    "ask",
]

PHRASES = """
en|Hi|Thanks|password|username|e-mail|card number|expiry date|Wi-Fi password|server|order number|total|Here are the login details|Please delete this message once you have saved it|Passwords must be at least 12 characters long and contain at least one digit|tracking number|booking reference|card ending in|API key|ticket|Payment received|IP address|New account for|Could you send me the password again?
de|Hallo|Danke|Passwort|Benutzername|E-Mail|Kartennummer|gültig bis|WLAN-Passwort|Server|Bestellnummer|Gesamtbetrag|Hier sind die Zugangsdaten|Bitte lösche diese Nachricht, sobald du sie gespeichert hast|Passwörter müssen mindestens 12 Zeichen lang sein und mindestens eine Ziffer enthalten|Sendungsnummer|Buchungsnummer|Karte endend auf|API-Schlüssel|Ticket|Zahlung erhalten|IP-Adresse|Neues Konto für|Kannst du mir das Passwort nochmal schicken?
fr|Bonjour|Merci|mot de passe|nom d'utilisateur|e-mail|numéro de carte|date d'expiration|mot de passe Wi-Fi|serveur|numéro de commande|total|Voici les identifiants|Merci de supprimer ce message après l'avoir enregistré|Les mots de passe doivent comporter au moins 12 caractères dont un chiffre|numéro de suivi|référence de réservation|carte se terminant par|clé API|ticket|Paiement reçu|adresse IP|Nouveau compte pour|Tu peux me renvoyer le mot de passe ?
es|Hola|Gracias|contraseña|usuario|correo|número de tarjeta|caducidad|contraseña del wifi|servidor|número de pedido|total|Aquí tienes los datos de acceso|Borra este mensaje cuando lo hayas guardado, por favor|Las contraseñas deben tener al menos 12 caracteres y un número|número de seguimiento|localizador de reserva|tarjeta terminada en|clave API|incidencia|Pago recibido|dirección IP|Cuenta nueva para|¿Me vuelves a mandar la contraseña?
it|Ciao|Grazie|password|nome utente|e-mail|numero della carta|scadenza|password del Wi-Fi|server|numero d'ordine|totale|Ecco le credenziali di accesso|Cancella questo messaggio dopo averlo salvato|Le password devono avere almeno 12 caratteri e contenere un numero|numero di tracciamento|codice di prenotazione|carta che termina con|chiave API|ticket|Pagamento ricevuto|indirizzo IP|Nuovo account per|Mi rimandi la password?
pt|Olá|Obrigado|senha|utilizador|e-mail|número do cartão|validade|senha do Wi-Fi|servidor|número da encomenda|total|Seguem os dados de acesso|Por favor apaga esta mensagem depois de guardares|As senhas devem ter pelo menos 12 caracteres e incluir um número|código de rastreio|referência da reserva|cartão terminado em|chave de API|pedido de suporte|Pagamento recebido|endereço IP|Nova conta para|Podes mandar-me a senha outra vez?
nl|Hoi|Bedankt|wachtwoord|gebruikersnaam|e-mail|kaartnummer|vervaldatum|wifi-wachtwoord|server|bestelnummer|totaal|Hier zijn de inloggegevens|Verwijder dit bericht graag nadat je het hebt opgeslagen|Wachtwoorden moeten minstens 12 tekens lang zijn en een cijfer bevatten|trackingnummer|boekingsnummer|kaart eindigend op|API-sleutel|ticket|Betaling ontvangen|IP-adres|Nieuw account voor|Kun je het wachtwoord nog een keer sturen?
pl|Cześć|Dzięki|hasło|login|e-mail|numer karty|ważna do|hasło do Wi-Fi|serwer|numer zamówienia|razem|Oto dane logowania|Usuń proszę tę wiadomość po zapisaniu|Hasło musi mieć co najmniej 12 znaków i zawierać cyfrę|numer przesyłki|numer rezerwacji|karta zakończona na|klucz API|zgłoszenie|Płatność otrzymana|adres IP|Nowe konto dla|Możesz mi jeszcze raz wysłać hasło?
cs|Ahoj|Díky|heslo|uživatelské jméno|e-mail|číslo karty|platnost do|heslo k Wi-Fi|server|číslo objednávky|celkem|Tady jsou přihlašovací údaje|Po uložení prosím tuto zprávu smaž|Heslo musí mít alespoň 12 znaků a obsahovat číslici|sledovací číslo|číslo rezervace|karta končící na|API klíč|požadavek|Platba přijata|IP adresa|Nový účet pro|Můžeš mi znovu poslat heslo?
sk|Ahoj|Vďaka|heslo|používateľské meno|e-mail|číslo karty|platnosť do|heslo k Wi-Fi|server|číslo objednávky|spolu|Tu sú prihlasovacie údaje|Po uložení túto správu prosím vymaž|Heslo musí mať aspoň 12 znakov a obsahovať číslicu|sledovacie číslo|číslo rezervácie|karta končiaca na|API kľúč|tiket|Platba prijatá|IP adresa|Nový účet pre|Môžeš mi ešte raz poslať heslo?
sv|Hej|Tack|lösenord|användarnamn|e-post|kortnummer|giltigt till|wifi-lösenord|server|ordernummer|totalt|Här är inloggningsuppgifterna|Radera gärna meddelandet när du har sparat det|Lösenord måste vara minst 12 tecken och innehålla en siffra|spårningsnummer|bokningsnummer|kort som slutar på|API-nyckel|ärende|Betalning mottagen|IP-adress|Nytt konto för|Kan du skicka lösenordet igen?
da|Hej|Tak|adgangskode|brugernavn|e-mail|kortnummer|udløbsdato|wifi-kode|server|ordrenummer|i alt|Her er login-oplysningerne|Slet venligst beskeden, når du har gemt den|Adgangskoder skal være mindst 12 tegn og indeholde et tal|trackingnummer|bookingnummer|kort der ender på|API-nøgle|sag|Betaling modtaget|IP-adresse|Ny konto til|Kan du sende adgangskoden igen?
nb|Hei|Takk|passord|brukernavn|e-post|kortnummer|utløpsdato|wifi-passord|server|ordrenummer|totalt|Her er påloggingsinformasjonen|Slett meldingen når du har lagret den|Passord må ha minst 12 tegn og inneholde et tall|sporingsnummer|bestillingsnummer|kort som slutter på|API-nøkkel|sak|Betaling mottatt|IP-adresse|Ny konto for|Kan du sende passordet en gang til?
fi|Moi|Kiitos|salasana|käyttäjätunnus|sähköposti|kortin numero|voimassa|wifi-salasana|palvelin|tilausnumero|yhteensä|Tässä kirjautumistiedot|Poista tämä viesti, kun olet tallentanut sen|Salasanassa on oltava vähintään 12 merkkiä ja yksi numero|seurantanumero|varausnumero|kortti, jonka loppu on|API-avain|tiketti|Maksu vastaanotettu|IP-osoite|Uusi tili käyttäjälle|Voitko lähettää salasanan uudestaan?
hu|Szia|Köszi|jelszó|felhasználónév|e-mail|kártyaszám|lejárat|wifi jelszó|szerver|rendelésszám|összesen|Itt vannak a belépési adatok|Kérlek töröld ezt az üzenetet, miután elmentetted|A jelszónak legalább 12 karakterből kell állnia és tartalmaznia kell egy számjegyet|csomagkövetési szám|foglalási szám|kártya, végződés|API-kulcs|hibajegy|Fizetés beérkezett|IP-cím|Új fiók|Elküldenéd újra a jelszót?
ro|Salut|Mulțumesc|parolă|utilizator|e-mail|numărul cardului|data expirării|parola Wi-Fi|server|număr comandă|total|Iată datele de autentificare|Te rog șterge mesajul după ce l-ai salvat|Parola trebuie să aibă cel puțin 12 caractere și o cifră|număr de urmărire|cod rezervare|card terminat în|cheie API|tichet|Plată primită|adresă IP|Cont nou pentru|Îmi poți trimite din nou parola?
tr|Merhaba|Teşekkürler|şifre|kullanıcı adı|e-posta|kart numarası|son kullanma|Wi-Fi şifresi|sunucu|sipariş numarası|toplam|Giriş bilgileri aşağıda|Lütfen kaydettikten sonra bu mesajı sil|Şifre en az 12 karakter olmalı ve bir rakam içermelidir|takip numarası|rezervasyon kodu|son dört hanesi|API anahtarı|destek talebi|Ödeme alındı|IP adresi|Yeni hesap|Şifreyi tekrar gönderebilir misin?
el|Γεια|Ευχαριστώ|κωδικός|όνομα χρήστη|email|αριθμός κάρτας|λήξη|κωδικός Wi-Fi|διακομιστής|αριθμός παραγγελίας|σύνολο|Ορίστε τα στοιχεία σύνδεσης|Σβήσε το μήνυμα αφού το αποθηκεύσεις|Ο κωδικός πρέπει να έχει τουλάχιστον 12 χαρακτήρες και έναν αριθμό|αριθμός αποστολής|κωδικός κράτησης|κάρτα που λήγει σε|κλειδί API|αίτημα|Η πληρωμή ελήφθη|διεύθυνση IP|Νέος λογαριασμός για|Μου ξαναστέλνεις τον κωδικό;
ru|Привет|Спасибо|пароль|логин|почта|номер карты|срок действия|пароль от Wi-Fi|сервер|номер заказа|итого|Вот данные для входа|Удали, пожалуйста, сообщение после того, как сохранишь|Пароль должен содержать не менее 12 символов и хотя бы одну цифру|трек-номер|номер бронирования|карта, оканчивающаяся на|API-ключ|заявка|Оплата получена|IP-адрес|Новая учётная запись для|Можешь ещё раз прислать пароль?
uk|Привіт|Дякую|пароль|логін|пошта|номер картки|термін дії|пароль від Wi-Fi|сервер|номер замовлення|разом|Ось дані для входу|Видали, будь ласка, повідомлення після збереження|Пароль має містити щонайменше 12 символів і одну цифру|номер відправлення|номер бронювання|картка, що закінчується на|API-ключ|звернення|Оплату отримано|IP-адреса|Новий обліковий запис для|Можеш ще раз надіслати пароль?
bg|Здрасти|Благодаря|парола|потребителско име|имейл|номер на карта|валидна до|парола за Wi-Fi|сървър|номер на поръчка|общо|Ето данните за вход|Моля, изтрий съобщението, след като го запазиш|Паролата трябва да е поне 12 знака и да съдържа цифра|номер на пратка|номер на резервация|карта, завършваща на|API ключ|заявка|Плащането е получено|IP адрес|Нов акаунт за|Можеш ли пак да ми пратиш паролата?
sr|Здраво|Хвала|лозинка|корисничко име|имејл|број картице|важи до|лозинка за Wi-Fi|сервер|број поруџбине|укупно|Ево података за пријаву|Молим те обриши поруку кад је сачуваш|Лозинка мора имати најмање 12 знакова и једну цифру|број пошиљке|број резервације|картица која се завршава на|API кључ|захтев|Уплата примљена|IP адреса|Нови налог за|Можеш ли поново да ми пошаљеш лозинку?
hr|Bok|Hvala|lozinka|korisničko ime|e-mail|broj kartice|vrijedi do|lozinka za Wi-Fi|poslužitelj|broj narudžbe|ukupno|Evo podataka za prijavu|Molim te obriši poruku kad je spremiš|Lozinka mora imati najmanje 12 znakova i jednu znamenku|broj pošiljke|broj rezervacije|kartica koja završava na|API ključ|prijava|Uplata primljena|IP adresa|Novi račun za|Možeš li mi ponovno poslati lozinku?
sl|Živjo|Hvala|geslo|uporabniško ime|e-pošta|številka kartice|velja do|geslo za Wi-Fi|strežnik|številka naročila|skupaj|Tukaj so podatki za prijavo|Prosim, izbriši sporočilo, ko ga shraniš|Geslo mora imeti vsaj 12 znakov in eno števko|številka pošiljke|številka rezervacije|kartica, ki se konča na|API ključ|zahtevek|Plačilo prejeto|IP naslov|Nov račun za|Mi lahko še enkrat pošlješ geslo?
lt|Labas|Ačiū|slaptažodis|vartotojo vardas|el. paštas|kortelės numeris|galioja iki|Wi-Fi slaptažodis|serveris|užsakymo numeris|iš viso|Štai prisijungimo duomenys|Ištrink žinutę, kai išsisaugosi|Slaptažodį turi sudaryti bent 12 simbolių ir bent vienas skaitmuo|siuntos numeris|rezervacijos numeris|kortelė, kurios pabaiga|API raktas|užklausa|Mokėjimas gautas|IP adresas|Nauja paskyra|Gal gali dar kartą atsiųsti slaptažodį?
lv|Sveiki|Paldies|parole|lietotājvārds|e-pasts|kartes numurs|derīga līdz|Wi-Fi parole|serveris|pasūtījuma numurs|kopā|Lūk, pieejas dati|Lūdzu, izdzēs ziņu, kad esi to saglabājis|Parolei jābūt vismaz 12 rakstzīmēm un jāsatur cipars|sūtījuma numurs|rezervācijas numurs|karte, kas beidzas ar|API atslēga|pieteikums|Maksājums saņemts|IP adrese|Jauns konts|Vari vēlreiz atsūtīt paroli?
et|Tere|Aitäh|parool|kasutajanimi|e-post|kaardi number|kehtib kuni|WiFi parool|server|tellimuse number|kokku|Siin on sisselogimisandmed|Palun kustuta see sõnum pärast salvestamist|Parool peab olema vähemalt 12 märki pikk ja sisaldama numbrit|jälgimisnumber|broneeringu number|kaart, mis lõpeb|API võti|pöördumine|Makse laekus|IP-aadress|Uus konto|Kas saadad parooli uuesti?
ar|مرحبا|شكرا|كلمة المرور|اسم المستخدم|البريد الإلكتروني|رقم البطاقة|تاريخ الانتهاء|كلمة مرور الواي فاي|الخادم|رقم الطلب|الإجمالي|إليك بيانات الدخول|يرجى حذف هذه الرسالة بعد حفظها|يجب أن تتكون كلمة المرور من 12 حرفًا على الأقل وأن تحتوي على رقم|رقم التتبع|رقم الحجز|البطاقة المنتهية بـ|مفتاح API|تذكرة|تم استلام الدفع|عنوان IP|حساب جديد لـ|ممكن ترسل لي كلمة المرور مرة ثانية؟
he|היי|תודה|סיסמה|שם משתמש|דוא"ל|מספר כרטיס|תוקף|סיסמת Wi-Fi|שרת|מספר הזמנה|סה"כ|הנה פרטי הכניסה|נא למחוק את ההודעה אחרי ששמרת|הסיסמה חייבת להכיל לפחות 12 תווים וספרה אחת|מספר מעקב|קוד הזמנה|כרטיס המסתיים ב-|מפתח API|פנייה|התשלום התקבל|כתובת IP|חשבון חדש עבור|אפשר לשלוח לי שוב את הסיסמה?
fa|سلام|ممنون|رمز عبور|نام کاربری|ایمیل|شماره کارت|تاریخ انقضا|رمز وای‌فای|سرور|شماره سفارش|جمع کل|اطلاعات ورود اینجاست|لطفاً بعد از ذخیره کردن این پیام را پاک کن|رمز عبور باید حداقل ۱۲ کاراکتر و یک رقم داشته باشد|کد رهگیری|کد رزرو|کارت با پایان|کلید API|تیکت|پرداخت دریافت شد|آدرس IP|حساب جدید برای|میشه دوباره رمز رو بفرستی؟
hi|नमस्ते|धन्यवाद|पासवर्ड|यूज़रनेम|ईमेल|कार्ड नंबर|समाप्ति तिथि|वाई-फ़ाई पासवर्ड|सर्वर|ऑर्डर नंबर|कुल|लॉगिन विवरण नीचे हैं|सेव करने के बाद कृपया यह संदेश हटा दें|पासवर्ड कम से कम 12 अक्षरों का होना चाहिए और उसमें एक अंक होना चाहिए|ट्रैकिंग नंबर|बुकिंग संदर्भ|कार्ड जिसके अंतिम अंक|API कुंजी|टिकट|भुगतान प्राप्त हुआ|IP पता|नया खाता|क्या आप पासवर्ड फिर से भेज सकते हैं?
bn|হ্যালো|ধন্যবাদ|পাসওয়ার্ড|ইউজারনেম|ইমেইল|কার্ড নম্বর|মেয়াদ|ওয়াই-ফাই পাসওয়ার্ড|সার্ভার|অর্ডার নম্বর|মোট|লগইনের তথ্য নিচে দিলাম|সেভ করার পর মেসেজটা মুছে দিও|পাসওয়ার্ডে কমপক্ষে ১২টি অক্ষর এবং একটি সংখ্যা থাকতে হবে|ট্র্যাকিং নম্বর|বুকিং নম্বর|যে কার্ডের শেষ অঙ্ক|API কী|টিকিট|পেমেন্ট পাওয়া গেছে|IP ঠিকানা|নতুন অ্যাকাউন্ট|পাসওয়ার্ডটা আবার পাঠাবে?
th|สวัสดี|ขอบคุณ|รหัสผ่าน|ชื่อผู้ใช้|อีเมล|หมายเลขบัตร|วันหมดอายุ|รหัส Wi-Fi|เซิร์ฟเวอร์|หมายเลขคำสั่งซื้อ|ยอดรวม|นี่คือข้อมูลเข้าสู่ระบบ|บันทึกแล้วช่วยลบข้อความนี้ด้วย|รหัสผ่านต้องมีอย่างน้อย 12 ตัวอักษรและมีตัวเลข|หมายเลขพัสดุ|รหัสการจอง|บัตรที่ลงท้ายด้วย|คีย์ API|ตั๋วแจ้งปัญหา|ได้รับการชำระเงินแล้ว|ที่อยู่ IP|บัญชีใหม่สำหรับ|ส่งรหัสผ่านให้อีกครั้งได้ไหม
vi|Chào|Cảm ơn|mật khẩu|tên đăng nhập|email|số thẻ|ngày hết hạn|mật khẩu Wi-Fi|máy chủ|mã đơn hàng|tổng cộng|Đây là thông tin đăng nhập|Lưu xong thì xoá tin nhắn này nhé|Mật khẩu phải có ít nhất 12 ký tự và một chữ số|mã vận đơn|mã đặt chỗ|thẻ có số cuối|khóa API|phiếu hỗ trợ|Đã nhận thanh toán|địa chỉ IP|Tài khoản mới cho|Gửi lại mật khẩu cho mình được không?
id|Halo|Terima kasih|kata sandi|nama pengguna|email|nomor kartu|masa berlaku|kata sandi Wi-Fi|server|nomor pesanan|total|Berikut data login-nya|Tolong hapus pesan ini setelah disimpan|Kata sandi minimal 12 karakter dan harus mengandung angka|nomor resi|kode booking|kartu berakhiran|kunci API|tiket|Pembayaran diterima|alamat IP|Akun baru untuk|Bisa kirim ulang kata sandinya?
ms|Hai|Terima kasih|kata laluan|nama pengguna|e-mel|nombor kad|tarikh luput|kata laluan Wi-Fi|pelayan|nombor pesanan|jumlah|Ini butiran log masuk|Sila padam mesej ini selepas disimpan|Kata laluan mesti sekurang-kurangnya 12 aksara dan mengandungi satu digit|nombor penjejakan|kod tempahan|kad berakhir dengan|kunci API|tiket|Bayaran diterima|alamat IP|Akaun baharu untuk|Boleh hantar kata laluan sekali lagi?
zh|你好|谢谢|密码|用户名|邮箱|卡号|有效期|Wi-Fi密码|服务器|订单号|合计|登录信息如下|保存后请删除这条消息|密码长度至少12位，且必须包含数字|快递单号|预订编号|尾号|API密钥|工单|已收到付款|IP地址|新账号|能再发一下密码吗？
ja|こんにちは|ありがとう|パスワード|ユーザー名|メール|カード番号|有効期限|Wi-Fiパスワード|サーバー|注文番号|合計|ログイン情報です|保存したらこのメッセージは削除してください|パスワードは12文字以上で、数字を1つ以上含める必要があります|追跡番号|予約番号|下4桁|APIキー|チケット|お支払いを確認しました|IPアドレス|新規アカウント|パスワードをもう一度送ってもらえますか？
ko|안녕하세요|감사합니다|비밀번호|아이디|이메일|카드 번호|유효기간|와이파이 비밀번호|서버|주문번호|합계|로그인 정보 보내드려요|저장하신 후 이 메시지는 삭제해 주세요|비밀번호는 12자 이상이어야 하며 숫자를 포함해야 합니다|운송장 번호|예약 번호|끝자리|API 키|티켓|결제 완료|IP 주소|새 계정|비밀번호 다시 보내주실 수 있나요?
sw|Habari|Asante|nenosiri|jina la mtumiaji|barua pepe|namba ya kadi|muda wa kuisha|nenosiri la Wi-Fi|seva|namba ya oda|jumla|Hizi ndizo taarifa za kuingia|Tafadhali futa ujumbe huu baada ya kuuhifadhi|Nenosiri lazima liwe na angalau herufi 12 na tarakimu moja|namba ya ufuatiliaji|namba ya uhifadhi|kadi inayoishia|ufunguo wa API|tiketi|Malipo yamepokelewa|anwani ya IP|Akaunti mpya ya|Unaweza kunitumia nenosiri tena?
tl|Hi|Salamat|password|username|email|numero ng card|expiry|password ng Wi-Fi|server|order number|kabuuan|Heto ang login details|Paki-delete ang message na ito pagka-save mo|Dapat hindi bababa sa 12 character ang password at may kasamang numero|tracking number|booking reference|card na nagtatapos sa|API key|ticket|Natanggap na ang bayad|IP address|Bagong account para kay|Pwede mo bang ipadala ulit ang password?
ta|வணக்கம்|நன்றி|கடவுச்சொல்|பயனர்பெயர்|மின்னஞ்சல்|அட்டை எண்|காலாவதி தேதி|Wi-Fi கடவுச்சொல்|சர்வர்|ஆர்டர் எண்|மொத்தம்|உள்நுழைவு விவரங்கள் இதோ|சேமித்த பிறகு இந்தச் செய்தியை நீக்கவும்|கடவுச்சொல்லில் குறைந்தது 12 எழுத்துகளும் ஒரு எண்ணும் இருக்க வேண்டும்|கண்காணிப்பு எண்|முன்பதிவு எண்|கடைசி இலக்கங்கள்|API விசை|டிக்கெட்|பணம் பெறப்பட்டது|IP முகவரி|புதிய கணக்கு|கடவுச்சொல்லை மீண்டும் அனுப்ப முடியுமா?
ca|Hola|Gràcies|contrasenya|usuari|correu|número de targeta|caducitat|contrasenya del wifi|servidor|número de comanda|total|Aquí tens les dades d'accés|Esborra aquest missatge quan l'hagis desat, si us plau|La contrasenya ha de tenir com a mínim 12 caràcters i un número|número de seguiment|codi de reserva|targeta acabada en|clau API|incidència|Pagament rebut|adreça IP|Compte nou per a|Em tornes a enviar la contrasenya?
"""

NAMES = """
en|Emma Clarke,Oliver Hughes,Priya Shah,Daniel Moore
de|Jonas Becker,Lena Hoffmann,Katrin Vogel,Timo Brandt
fr|Camille Durand,Julien Morel,Inès Lefèvre,Hugo Giraud
es|Lucía Romero,Javier Navarro,Marta Gil,Pablo Serrano
it|Giulia Conti,Marco Ferri,Chiara Galli,Luca Bassi
pt|Beatriz Sousa,Tiago Ramos,Inês Carvalho,Rui Teixeira
nl|Sanne de Vries,Bram Jansen,Eva Visser,Daan Smit
pl|Katarzyna Wójcik,Piotr Zieliński,Marta Kaczmarek,Tomasz Lis
cs|Tereza Dvořáková,Jakub Procházka,Petr Černý,Lenka Marková
sk|Zuzana Horváthová,Martin Kováč,Lucia Balážová,Peter Novák
sv|Elin Lindqvist,Oskar Berg,Maja Holm,Johan Ek
da|Freja Madsen,Mikkel Thomsen,Ida Skov,Rasmus Dahl
nb|Ingrid Solberg,Henrik Bakke,Nora Haugen,Sindre Lie
fi|Aino Virtanen,Mikko Laine,Sanna Koskinen,Janne Heikkilä
hu|Eszter Nagy,Bence Tóth,Réka Szabó,Gergő Varga
ro|Ioana Popescu,Andrei Dumitru,Elena Stan,Radu Ionescu
tr|Elif Yıldız,Emre Kaya,Zeynep Aydın,Burak Şahin
el|Μαρία Παπαδοπούλου,Γιώργος Νικολάου,Ελένη Βλάχου,Νίκος Αντωνίου
ru|Анна Смирнова,Дмитрий Козлов,Ольга Васильева,Сергей Орлов
uk|Оксана Шевчук,Андрій Бондар,Ірина Мельник,Тарас Коваль
bg|Мария Петрова,Иван Георгиев,Десислава Колева,Стоян Димов
sr|Јелена Јовановић,Марко Петровић,Ана Николић,Никола Илић
hr|Ivana Horvat,Luka Babić,Petra Jurić,Ivan Knežević
sl|Nina Kovač,Matej Zupan,Maja Krajnc,Rok Potočnik
lt|Rūta Kazlauskienė,Tomas Petrauskas,Eglė Jankauskaitė,Mantas Vaitkus
lv|Laura Bērziņa,Jānis Kalniņš,Ilze Ozola,Mārtiņš Liepa
et|Kadri Tamm,Mart Saar,Liis Sepp,Rasmus Kask
ar|ليلى حداد,عمر الخطيب,سارة منصور,يوسف الحسن
he|נועה לוי,איתי כהן,מיכל פרץ,יונתן מזרחי
fa|مریم رضایی,علی کریمی,نگار احمدی,رضا موسوی
hi|प्रिया शर्मा,राहुल वर्मा,अनीता सिंह,विकास गुप्ता
bn|তানিয়া রহমান,সাকিব হাসান,নুসরাত জাহান,রাফি আহমেদ
th|สมชาย ใจดี,นภา ศรีสุข,วรรณา ทองดี,ธนา พูลสวัสดิ์
vi|Nguyễn Thu Hà,Trần Minh Khoa,Lê Ngọc Anh,Phạm Quốc Huy
id|Siti Rahmawati,Budi Santoso,Dewi Lestari,Agus Pratama
ms|Nur Aisyah,Ahmad Faiz,Farah Hanim,Hafiz Rahman
zh|王芳,李伟,陈静,张磊
ja|佐藤 美咲,田中 健太,鈴木 由美,高橋 翔
ko|김민지,이준호,박서연,최동현
sw|Amina Mwangi,Juma Otieno,Neema Wanjiru,Baraka Kiprono
tl|Maria Santos,Jose Reyes,Angelica Cruz,Paolo Villanueva
ta|கவிதா ராஜன்,அருண் குமார்,மீனா சுப்பிரமணியம்,சரவணன் முத்து
ca|Laia Puig,Jordi Soler,Núria Vidal,Pau Ferrer
"""

L = {}
for line in PHRASES.strip().splitlines():
    parts = line.split("|")
    assert len(parts) == len(LKEYS) + 1, (parts[0], len(parts))
    L[parts[0]] = dict(zip(LKEYS, parts[1:]))
NAME = {}
for line in NAMES.strip().splitlines():
    k, v = line.split("|")
    NAME[k] = v.split(",")
assert set(L) == set(NAME)
LANGS = list(L)

# ----------------------------------------------------------------------------- value generators
FIRST_ASCII = [
    "anna",
    "marek",
    "lena",
    "tomas",
    "sofia",
    "kenji",
    "amira",
    "lucas",
    "ines",
    "pavel",
    "yuki",
    "omar",
    "eva",
    "niko",
    "sara",
    "jonas",
    "mei",
    "ravi",
    "olga",
    "diego",
    "hana",
    "ivan",
    "lea",
    "arjun",
    "chloe",
    "emre",
    "noor",
    "petra",
    "mateo",
    "aiko",
]
LAST_ASCII = [
    "novak",
    "berger",
    "rossi",
    "tanaka",
    "haddad",
    "silva",
    "kowalski",
    "lindgren",
    "petrov",
    "moreau",
    "yilmaz",
    "nguyen",
    "sharma",
    "kim",
    "jensen",
    "fischer",
    "costa",
    "horvat",
    "ito",
    "mendes",
    "sato",
    "okafor",
    "weber",
    "dubois",
    "popescu",
    "kaya",
    "papadakis",
    "levi",
    "park",
]
PROVIDERS = [
    "gmail.com",
    "outlook.com",
    "yahoo.com",
    "gmx.de",
    "web.de",
    "orange.fr",
    "libero.it",
    "seznam.cz",
    "wp.pl",
    "mail.ru",
    "yandex.ru",
    "naver.com",
    "qq.com",
    "163.com",
    "yahoo.co.jp",
    "hotmail.co.uk",
    "icloud.com",
    "proton.me",
    "t-online.de",
    "ukr.net",
    "abv.bg",
    "o2.pl",
    "free.fr",
    "terra.com.br",
    "rediffmail.com",
    "daum.net",
    "freenet.de",
    "bluewin.ch",
]
ORGW = [
    "nordlicht",
    "kowalczyk",
    "bluepine",
    "atelier",
    "sunrise",
    "bergblick",
    "kaffeehaus",
    "mosaic",
    "ferro",
    "lumen",
    "harbor",
    "olivetree",
    "fjord",
    "sakura",
    "tigris",
    "amber",
    "cedar",
    "pixel",
    "vela",
    "kraken",
    "delta",
    "linden",
    "osprey",
    "quarry",
    "tundra",
    "zephyr",
    "meridian",
    "baobab",
]
ORGW2 = [
    "bau",
    "studio",
    "logistik",
    "dental",
    "consult",
    "media",
    "tech",
    "travel",
    "legal",
    "print",
    "garden",
    "foods",
    "labs",
    "design",
    "immo",
    "sport",
    "events",
    "energy",
    "shop",
    "clinic",
]
TLDS = [
    "de",
    "fr",
    "it",
    "es",
    "pl",
    "cz",
    "nl",
    "se",
    "dk",
    "no",
    "fi",
    "hu",
    "ro",
    "com.tr",
    "gr",
    "ru",
    "ua",
    "bg",
    "rs",
    "hr",
    "si",
    "lt",
    "lv",
    "ee",
    "ae",
    "co.il",
    "ir",
    "in",
    "com.bd",
    "co.th",
    "vn",
    "co.id",
    "com.my",
    "cn",
    "jp",
    "co.kr",
    "co.ke",
    "ph",
    "com",
    "io",
    "net",
    "co.uk",
    "com.au",
    "ca",
]
SVCS = [
    "VPN",
    "NAS",
    "CRM",
    "Jira",
    "Nextcloud",
    "Synology",
    "Router",
    "Webshop",
    "Mailchimp",
    "WordPress",
    "Shopify",
    "Zoom",
    "Canva",
    "Dropbox",
    "Fritzbox",
    "Xero",
    "DATEV",
    "Grafana",
    "pfSense",
    "Odoo",
    "Moodle",
    "Figma",
    "Miro",
    "Trello",
    "Proxmox",
    "UniFi",
    "QNAP",
    "cPanel",
    "Plesk",
    "Bitbucket",
]
WORDS = [
    "harbor",
    "velvet",
    "quill",
    "maple",
    "comet",
    "lantern",
    "pebble",
    "orchid",
    "tundra",
    "falcon",
    "cobalt",
    "meadow",
    "saffron",
    "glacier",
    "walnut",
    "ember",
    "canyon",
    "juniper",
    "marble",
    "violet",
    "thistle",
    "anchor",
    "prairie",
    "beacon",
    "sparrow",
    "garnet",
    "willow",
    "rocket",
    "mango",
    "copper",
]
CURR = [
    "€ {a},{c}",
    "{a}.{c} USD",
    "{a},{c} zł",
    "{a} Kč",
    "£{a}.{c}",
    "{a},{c} kr",
    "₺{a},{c}",
    "¥{a}00",
    "₹{a}.{c}",
    "{a}.{c} AED",
    "R$ {a},{c}",
    "₩{a}000",
    "{a},{c} lei",
    "CHF {a}.{c}",
    "฿{a}.{c}",
]

RESERVED_SUFFIX = ("example.com", "example.org", "example.net")
RESERVED_TLD = ("test", "invalid", "localhost", "example")


def reserved_domain(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == s or dom.endswith("." + s) for s in RESERVED_SUFFIX):
        return True
    return dom.rsplit(".", 1)[-1] in RESERVED_TLD


def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        s += n
    return s % 10 == 0


def brand_ok(d):
    n = len(d)
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    return None


def luhn_complete(body):
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def card_digits(rng):
    brand = rng.choice(
        ["visa", "visa", "visa", "mc", "mc", "mc2", "amex", "amex", "disc", "jcb", "diners", "unionpay", "visa13"]
    )
    if brand == "visa":
        pre, n = "4", rng.choice([16, 16, 16, 19])
    elif brand == "visa13":
        pre, n = "4", 13
    elif brand == "mc":
        pre, n = str(rng.randint(51, 55)), 16
    elif brand == "mc2":
        pre, n = str(rng.randint(2221, 2720)), 16
    elif brand == "amex":
        pre, n = rng.choice(["34", "37"]), 15
    elif brand == "disc":
        pre, n = rng.choice(["6011", "65", str(rng.randint(644, 649))]), 16
    elif brand == "jcb":
        pre, n = str(rng.randint(3528, 3589)), 16
    elif brand == "diners":
        pre, n = rng.choice(["36", "300", "305", "38"]), 14
    else:
        pre, n = "62", rng.choice([16, 19])
    body = pre + rs(rng, n - 1 - len(pre), DIG)
    d = luhn_complete(body)
    assert brand_ok(d) and luhn_ok(d)
    return d


def fmt_card(rng, d):
    style = rng.choice(["plain", "space", "space", "dash"])
    if style == "plain":
        return d
    sep = " " if style == "space" else "-"
    n = len(d)
    if n == 15:
        groups = [4, 6, 5]
    elif n == 14:
        groups = [4, 6, 4]
    elif n == 13:
        groups = [4, 4, 5]
    elif n == 19:
        groups = [4, 4, 4, 4, 3]
    else:
        groups = [4, 4, 4, 4]
    out, i = [], 0
    for g in groups:
        out.append(d[i : i + g])
        i += g
    return sep.join(out)


DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    ip = ipaddress.ip_address(s)
    return ip.is_global and not ip.is_multicast and not any(ip in n for n in DOC_NETS if n.version == ip.version)


def gen_ip4(rng):
    while True:
        s = "%d.%d.%d.%d" % (rng.randint(1, 223), rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        if ip_public(s):
            return s


V6PRE = [
    "2a01",
    "2a02",
    "2a03",
    "2a00",
    "2a05",
    "2600",
    "2604",
    "2606",
    "2610",
    "2620",
    "2400",
    "2401",
    "2403",
    "2405",
    "2800",
    "2803",
    "2c0f",
    "2001:4860",
    "2a0e",
    "2607",
]


def gen_ip6(rng):
    while True:
        pre = rng.choice(V6PRE).split(":")
        groups = pre + ["%x" % rng.randint(0, 0xFFFF) for _ in range(8 - len(pre))]
        if rng.random() < 0.5:
            k = rng.randint(3, 5)
            for j in range(k, min(8, k + rng.randint(1, 3))):
                groups[j] = "0"
        s = str(ipaddress.ip_address(":".join(groups)))
        if ip_public(s):
            return s


def gen_email(rng, ctx=None):
    while True:
        f, l = rng.choice(FIRST_ASCII), rng.choice(LAST_ASCII)
        local = rng.choice(
            [
                f + "." + l,
                f[0] + "." + l,
                f + l[:3] + str(rng.randint(1, 99)),
                f + "_" + l,
                l + "." + f,
                f,
                "info",
                "office",
                "buchhaltung",
                "kontakt",
                "admin",
                f + str(rng.randint(70, 99)),
            ]
        )
        if rng.random() < 0.45:
            dom = rng.choice(PROVIDERS)
        else:
            dom = rng.choice(ORGW) + rng.choice(["-", ""]) + rng.choice(ORGW2) + "." + rng.choice(TLDS)
        if not reserved_domain(dom):
            return local + "@" + dom


def gen_pw(rng, alpha_sym=SYM, lo=10, hi=16):
    while True:
        n = rng.randint(lo, hi)
        chars = [rng.choice(LOW + UP)]
        for i in range(n - 2):
            chars.append(rng.choice(alpha_sym) if (alpha_sym and rng.random() < 0.14) else rng.choice(ALNUM))
        chars.append(rng.choice(ALNUM))
        s = "".join(chars)
        if any(c in LOW for c in s) and any(c in UP for c in s) and any(c in DIG for c in s):
            return s


def gen_pwurl(rng):
    return gen_pw(rng, "-_~")


def gen_phrase(rng):
    ws = rng.sample(WORDS, rng.randint(3, 4))
    sep = rng.choice(["-", ".", "_", "-"])
    if rng.random() < 0.5:
        ws = [w.capitalize() for w in ws]
    ws.insert(rng.randint(1, len(ws)), str(rng.randint(10, 999)))
    return sep.join(ws)


def gen_pin(rng):
    while True:
        s = rs(rng, rng.randint(6, 8), UP + DIG)
        if any(c in UP for c in s) and any(c in DIG for c in s) and s[0] in UP:
            return s


def b64(bs):
    return base64.b64encode(bs).decode()


def b64url(bs):
    return base64.urlsafe_b64encode(bs).decode().rstrip("=")


def rbytes(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


def gen_jwt(rng):
    hdr = b64url(json.dumps({"alg": rng.choice(["HS256", "RS256"]), "typ": "JWT"}, separators=(",", ":")).encode())
    payload = {"sub": str(rng.randint(10000, 99999999)), "iat": rng.randint(1690000000, 1730000000)}
    if rng.random() < 0.5:
        payload["role"] = rng.choice(["admin", "service", "editor"])
    if rng.random() < 0.5:
        payload["iss"] = rng.choice(["auth", "api", "sso"]) + "." + rng.choice(ORGW) + ".io"
    body = b64url(json.dumps(payload, separators=(",", ":")).encode())
    return hdr + "." + body + "." + b64url(rbytes(rng, 32))


def pem_block(rng, kind):
    lines = [b64(rbytes(rng, 48)) for _ in range(rng.randint(6, 14))]
    lines.append(b64(rbytes(rng, rng.randint(6, 40))))
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (kind, "\n".join(lines), kind)


def gen_pem(rng):
    return pem_block(rng, rng.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY"]))


def discord_tok(rng):
    return (
        b64url(str(rng.randint(10**17, 10**18 - 1)).encode()) + "." + rs(rng, 6, URLSAFE) + "." + rs(rng, 38, URLSAFE)
    )


VENDOR = {
    "aws_id": lambda r: r.choice(["AKIA", "ASIA"]) + rs(r, 16, UP + DIG),
    "aws_secret": lambda r: rs(r, 1, ALNUM) + rs(r, 39, B64),
    "ghp": lambda r: "ghp_" + rs(r, 36),
    "gho": lambda r: "gho_" + rs(r, 36),
    "github_pat": lambda r: "github_pat_" + rs(r, 22) + "_" + rs(r, 59),
    "glpat": lambda r: "glpat-" + rs(r, 20, URLSAFE),
    "xoxb": lambda r: "xoxb-%s-%s-%s" % (rs(r, 12, DIG), rs(r, 13, DIG), rs(r, 24)),
    "xoxp": lambda r: "xoxp-%s-%s-%s-%s" % (rs(r, 12, DIG), rs(r, 12, DIG), rs(r, 13, DIG), rs(r, 32, HEX)),
    "sk_live": lambda r: "sk_live_51" + rs(r, r.randint(40, 95)),
    "sk_test": lambda r: "sk_test_51" + rs(r, r.randint(40, 95)),
    "rk_live": lambda r: "rk_live_51" + rs(r, r.randint(40, 95)),
    "whsec": lambda r: "whsec_" + rs(r, 32),
    "openai": lambda r: "sk-proj-" + rs(r, 1) + rs(r, r.randint(80, 150), URLSAFE) + rs(r, 1),
    "anthropic": lambda r: "sk-ant-api03-" + rs(r, 93, URLSAFE) + "AA",
    "gapi": lambda r: "AIza" + rs(r, 35, URLSAFE),
    "sendgrid": lambda r: "SG." + rs(r, 22, URLSAFE) + "." + rs(r, 43, URLSAFE),
    "twilio_sk": lambda r: "SK" + rs(r, 32, HEX),
    "mailgun": lambda r: "key-" + rs(r, 32, HEX),
    "npm": lambda r: "npm_" + rs(r, 36),
    "pypi": lambda r: "pypi-AgEIcHlwaS5vcmc" + rs(r, r.randint(60, 140), URLSAFE) + rs(r, 1),
    "shopify": lambda r: "shpat_" + rs(r, 32, HEX),
    "hf": lambda r: "hf_" + rs(r, 34, LOW + UP),
    "dop": lambda r: "dop_v1_" + rs(r, 64, HEX),
    "telegram": lambda r: str(r.randint(10**8, 10**10 - 1)) + ":AA" + rs(r, 33, URLSAFE),
    "discord": discord_tok,
    "square": lambda r: "EAAA" + rs(r, 60, URLSAFE),
    "atlassian": lambda r: "ATATT3xFfGF0" + rs(r, 170, URLSAFE) + "=" + rs(r, 8, HEX.upper()),
    "linear": lambda r: "lin_api_" + rs(r, 40),
    "notion": lambda r: "ntn_" + rs(r, 46),
    "postman": lambda r: "PMAK-" + rs(r, 24, HEX) + "-" + rs(r, 34, HEX),
    "azure": lambda r: b64(rbytes(r, 64)),
    "mailchimp": lambda r: rs(r, 32, HEX) + "-us" + str(r.randint(1, 21)),
    "nrak": lambda r: "NRAK-" + rs(r, 27, UP + DIG),
    "glsa": lambda r: "glsa_" + rs(r, 32) + "_" + rs(r, 8, HEX),
    "figd": lambda r: "figd_" + rs(r, 40, URLSAFE),
    "tfc": lambda r: rs(r, 14) + ".atlasv1." + rs(r, 67),
    "hvs": lambda r: "hvs." + rs(r, 90, URLSAFE),
    "doppler": lambda r: "dp.st.prd." + rs(r, 43),
    "dropbox": lambda r: "sl." + rs(r, 1) + rs(r, 130, URLSAFE),
}
VENDOR_FOR_NL = [
    "ghp",
    "github_pat",
    "glpat",
    "xoxb",
    "sk_live",
    "sk_test",
    "openai",
    "anthropic",
    "gapi",
    "sendgrid",
    "npm",
    "shopify",
    "hf",
    "dop",
    "telegram",
    "square",
    "linear",
    "notion",
    "postman",
    "mailchimp",
    "nrak",
    "figd",
    "hvs",
    "mailgun",
    "aws_id",
]


def gen_basic(rng, cache):
    user = cache.get("uname") or rng.choice(FIRST_ASCII)
    return b64((user + ":" + gen_pw(rng)).encode())


LABELLED = {
    "pw": lambda r, c: gen_pw(r),
    "pwurl": lambda r, c: gen_pwurl(r),
    "phrase": lambda r, c: gen_phrase(r),
    "pin": lambda r, c: gen_pin(r),
    "email": lambda r, c: gen_email(r),
    "ip4": lambda r, c: gen_ip4(r),
    "ip6": lambda r, c: gen_ip6(r),
    "card": lambda r, c: fmt_card(r, card_digits(r)),
    "cardplain": lambda r, c: card_digits(r),
    "jwt": lambda r, c: gen_jwt(r),
    "pem": lambda r, c: gen_pem(r),
    "b64pw": lambda r, c: b64(gen_pw(r).encode()),
    "basic": gen_basic,
    "b64_32": lambda r, c: b64(rbytes(r, 32)),
    "wgkey": lambda r, c: b64(rbytes(r, 32)),
    "hex32": lambda r, c: rs(r, 32, HEX),
    "hex64": lambda r, c: rs(r, 64, HEX),
    "session": lambda r, c: rs(r, 32, LOW + DIG),
    "django": lambda r, c: rs(r, 1, LOW) + rs(r, 49, LOW + DIG + "!@#%^&*(-_=+)"),
    "tok40": lambda r, c: rs(r, 40),
    "vendor": None,  # filled per call, see render
}
for _k, _f in VENDOR.items():
    LABELLED[_k] = (lambda f: lambda r, c: f(r))(_f)

PASSWORD_GENS = {"pw", "pwurl", "phrase", "pin"}


# ----------------------------------------------------------------------------- unlabelled fillers
def safe_digits(rng, n):
    return rs(rng, 1, "123456789") + rs(rng, n - 1, DIG)


def gen_bcrypt(rng):
    return "$2b$%d$" % rng.choice([10, 11, 12, 12, 13]) + rs(rng, 53, ALNUM + "./")


def gen_wallet(rng):
    if rng.random() < 0.5:
        return "bc1q" + rs(rng, 38, "qpzry9x8gf2tvdw0s3jn54khce6mua7l")
    return "0x" + rs(rng, 40, HEX + "ABCDEF")


def gen_docip(rng):
    return rng.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(rng.randint(1, 254))


def gen_privip(rng):
    c = rng.random()
    if c < 0.4:
        return "192.168.%d.%d" % (rng.randint(0, 20), rng.randint(2, 254))
    if c < 0.75:
        return "10.%d.%d.%d" % (rng.randint(0, 40), rng.randint(0, 255), rng.randint(2, 254))
    return "172.%d.%d.%d" % (rng.randint(16, 31), rng.randint(0, 255), rng.randint(2, 254))


def gen_exmail(rng):
    f, l = rng.choice(FIRST_ASCII), rng.choice(LAST_ASCII)
    dom = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "shop.test",
            "firma.invalid",
            "corp.example",
            "intranet.localhost",
            "test.example.org",
        ]
    )
    return rng.choice([f + "." + l, f, "noreply", "support", f[0] + l]) + "@" + dom


def gen_sshpub(rng):
    if rng.random() < 0.6:
        key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rs(rng, 43, B64)
    else:
        key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + rs(rng, 300, B64) + "="
    return (
        key + " " + rng.choice(FIRST_ASCII) + "@" + rng.choice(["laptop", "ws-07", "macbook", "thinkpad", "buildbox"])
    )


def gen_badcard(rng):
    d = card_digits(rng)
    bad = d[:-1] + str((int(d[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    return fmt_card(rng, bad)


def gen_date(rng):
    y, m, d = rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(["%04d-%02d-%02d" % (y, m, d), "%02d.%02d.%04d" % (d, m, y), "%02d/%02d/%04d" % (d, m, y)])


def gen_amount(rng):
    return rng.choice(CURR).format(a=rng.randint(12, 2400), c="%02d" % rng.randint(0, 99))


def gen_track(rng):
    return rng.choice(
        [
            lambda: "1Z" + rs(rng, 16, UP + DIG),
            lambda: rs(rng, 2, UP) + safe_digits(rng, 9) + rng.choice(["DE", "PL", "CZ", "FR", "NL", "CN", "JP"]),
            lambda: "JJD" + safe_digits(rng, 18),
            lambda: "TBA" + safe_digits(rng, 12),
            lambda: "SF" + safe_digits(rng, 13),
        ]
    )()


def gen_order(rng):
    return rng.choice(
        [
            lambda: "%03d-%07d-%07d" % (rng.randint(100, 999), rng.randint(0, 9999999), rng.randint(0, 9999999)),
            lambda: "ORD-" + safe_digits(rng, 8),
            lambda: "#" + safe_digits(rng, 6),
            lambda: "WEB" + rs(rng, 3, UP) + safe_digits(rng, 7),
            lambda: str(rng.randint(2023, 2025)) + "-" + safe_digits(rng, 6),
        ]
    )()


def gen_uname(rng):
    f, l = rng.choice(FIRST_ASCII), rng.choice(LAST_ASCII)
    return rng.choice(
        [
            f[0] + "." + l,
            f + "." + l,
            f + l[0],
            l + f[0] + str(rng.randint(1, 9)),
            f + "_" + l[:4],
            "admin",
            "office",
            "frontdesk",
            "backup_svc",
            f,
        ]
    )


def gen_host(rng):
    return rng.choice(
        ["nas", "srv", "fw", "pbx", "backup", "web", "db", "print", "mail", "git", "ci", "vpn"]
    ) + rng.choice(["-01", "-02", "01", "-office", "-prod", "-lager", "", "-hq"])


def gen_domain(rng):
    return rng.choice(ORGW) + rng.choice(["-", ""]) + rng.choice(ORGW2) + "." + rng.choice(TLDS)


def times(rng):
    h = rng.randint(7, 20)
    m = rng.randint(0, 40)
    out = []
    for _ in range(6):
        out.append("%02d:%02d" % (h, m))
        m += rng.randint(0, 4)
        if m >= 60:
            h, m = h + 1, m - 60
    return out


def filler(key, lang, rng, cache):
    if key.startswith("L_"):
        return L[lang][key[2:]]
    if key in ("name", "name2", "name3"):
        used = {cache.get(k) for k in ("name", "name2", "name3")}
        pool = [n for n in NAME[lang] if n not in used]
        return rng.choice(pool)
    if key.startswith("t") and key[1:].isdigit():
        if "_times" not in cache:
            cache["_times"] = times(rng)
        return cache["_times"][int(key[1:]) - 1]
    if key.startswith("svc"):
        used = {cache.get(k) for k in ("svc", "svc2", "svc3")}
        return rng.choice([s for s in SVCS if s not in used])
    if key.startswith("uname"):
        used = {cache.get(k) for k in ("uname", "uname2", "uname3")}
        while True:
            u = gen_uname(rng)
            if u not in used:
                return u
    if key.startswith("host"):
        used = {cache.get(k) for k in ("host", "host2", "host3")}
        while True:
            h = gen_host(rng)
            if h not in used:
                return h
    if key.startswith("privip"):
        return gen_privip(rng)
    if key.startswith("docip"):
        return gen_docip(rng)
    if key.startswith("exmail"):
        return gen_exmail(rng)
    if key.startswith("ssid"):
        return rng.choice(
            [
                "FRITZ!Box 7590 ",
                "Vodafone-",
                "TP-Link_",
                "Office-",
                "Gast-",
                "Home_",
                "Livebox-",
                "UPC",
                "Telia-",
                "NETGEAR",
                "Kaffee_",
                "Studio-",
            ]
        ) + rs(rng, 4, UP + DIG)
    if key.startswith("bcrypt"):
        return gen_bcrypt(rng)
    simple = {
        "date": lambda: gen_date(rng),
        "company": lambda: rng.choice(ORGW).capitalize() + " " + rng.choice(ORGW2).capitalize(),
        "domain": lambda: gen_domain(rng),
        "ordernum": lambda: gen_order(rng),
        "tracknum": lambda: gen_track(rng),
        "bookref": lambda: rs(rng, 6, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"),
        "ticketnum": lambda: safe_digits(rng, rng.randint(4, 6)),
        "invnum": lambda: "%d-%05d" % (rng.randint(2023, 2025), rng.randint(1, 99999)),
        "amount": lambda: gen_amount(rng),
        "expiry": lambda: "%02d/%02d" % (rng.randint(1, 12), rng.randint(25, 31)),
        "cvv": lambda: "%03d" % rng.randint(100, 999),
        "last4": lambda: "%04d" % rng.randint(0, 9999),
        "masked_card": lambda: (
            rng.choice(["**** **** **** ", "•••• •••• •••• ", "XXXX-XXXX-XXXX-", "************"])
            + "%04d" % rng.randint(0, 9999)
        ),
        "badcard": lambda: gen_badcard(rng),
        "mac": lambda: ":".join("%02x" % rng.randrange(256) for _ in range(6)),
        "sshpub": lambda: gen_sshpub(rng),
        "uuid": lambda: (
            "%s-%s-4%s-%s%s-%s"
            % (rs(rng, 8, HEX), rs(rng, 4, HEX), rs(rng, 3, HEX), rng.choice("89ab"), rs(rng, 3, HEX), rs(rng, 12, HEX))
        ),
        "uuid2": lambda: (
            "%s-%s-4%s-%s%s-%s"
            % (rs(rng, 8, HEX), rs(rng, 4, HEX), rs(rng, 3, HEX), rng.choice("89ab"), rs(rng, 3, HEX), rs(rng, 12, HEX))
        ),
        "sha256": lambda: rs(rng, 64, HEX),
        "sha256b": lambda: rs(rng, 64, HEX),
        "sha1": lambda: rs(rng, 40, HEX),
        "sha1b": lambda: rs(rng, 40, HEX),
        "md5": lambda: rs(rng, 32, HEX),
        "crypt6": lambda: "$6$" + rs(rng, 16, ALNUM + "./") + "$" + rs(rng, 86, ALNUM + "./"),
        "crypt5": lambda: "$5$rounds=535000$" + rs(rng, 16, ALNUM + "./") + "$" + rs(rng, 43, ALNUM + "./"),
        "crypt1": lambda: "$1$" + rs(rng, 8, ALNUM + "./") + "$" + rs(rng, 22, ALNUM + "./"),
        "argon2": lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(rng, 22, B64) + "$" + rs(rng, 43, B64),
        "cisco9": lambda: "$9$" + rs(rng, 14, ALNUM + "./") + "$" + rs(rng, 43, ALNUM + "./"),
        "cisco8": lambda: "$8$" + rs(rng, 14, ALNUM + "./") + "$" + rs(rng, 43, ALNUM + "./"),
        "pk_live": lambda: "pk_live_51" + rs(rng, rng.randint(40, 95)),
        "pk_test": lambda: "pk_test_51" + rs(rng, rng.randint(40, 95)),
        "mapbox": lambda: "pk.eyJ1Ijoi" + rs(rng, 30, URLSAFE) + "." + rs(rng, 22, URLSAFE),
        "gclient": lambda: safe_digits(rng, 12) + "-" + rs(rng, 32, LOW + DIG) + ".apps.googleusercontent.com",
        "recaptcha": lambda: "6L" + rs(rng, 38, URLSAFE),
        "csrf": lambda: rs(rng, 64),
        "nonce": lambda: b64(rbytes(rng, 16)),
        "accessor": lambda: rs(rng, 24),
        "wallet": lambda: gen_wallet(rng),
        "wallet2": lambda: gen_wallet(rng),
        "pubpem": lambda: pem_block(rng, "PUBLIC KEY"),
        "certpem": lambda: pem_block(rng, "CERTIFICATE"),
        "wgpub": lambda: b64(rbytes(rng, 32)),
        "wgpub2": lambda: b64(rbytes(rng, 32)),
        "b64user": lambda: b64((cache.get("uname") or "app").encode()),
        "acct": lambda: rng.choice(ORGW) + rs(rng, 4, LOW + DIG),
        "twsid": lambda: "AC" + rs(rng, 32, HEX),
        "rand5": lambda: rs(rng, 5, LOW + DIG),
        "port": lambda: str(rng.choice([22, 2222, 8443, 5432, 3306, 6379, 443, 8080])),
        "ver": lambda: "%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 30), rng.randint(0, 40)),
        "num": lambda: str(rng.randint(2, 999)),
        "stripeid": lambda: rng.choice(["cus_", "pi_", "ch_", "sub_", "in_"]) + rs(rng, 24),
        "gaid": lambda: "G-" + rs(rng, 10, UP + DIG),
        "phone": lambda: (
            "+"
            + rng.choice(["49 15", "33 6", "48 5", "420 7", "46 70", "90 53", "81 90", "82 10"])
            + rs(rng, 1, DIG)
            + " "
            + rs(rng, 3, DIG)
            + " "
            + rs(rng, 4, DIG)
        ),
        "city": lambda: rng.choice(
            ["Lyon", "Graz", "Porto", "Brno", "Tartu", "Izmir", "Osaka", "Busan", "Pune", "Cebu"]
        ),
    }
    return simple[key]()


# ----------------------------------------------------------------------------- rendering
TOK = re.compile(r"«(\w+)»|⟪(\w+):(\w+)⟫")


def render(tpl, lang, rng):
    cache, out, spans, pos, last = {}, [], [], 0, 0
    for m in TOK.finditer(tpl):
        lit = tpl[last : m.start()]
        out.append(lit)
        pos += len(lit)
        if m.group(1):
            k = m.group(1)
            if k not in cache:
                cache[k] = filler(k, lang, rng, cache)
            v = cache[k]
        else:
            ent, gen = m.group(2), m.group(3)
            g = gen
            if gen == "vendor":
                g = rng.choice(VENDOR_FOR_NL)
            while True:
                v = LABELLED[g](rng, cache)
                if not any(f in v.lower() for f in FORBIDDEN_IN_SECRET):
                    break
            spans.append({"start": pos, "end": pos + len(v), "entity": ent, "_v": v, "_g": g})
        out.append(v)
        pos += len(v)
        last = m.end()
    out.append(tpl[last:])
    return "".join(out), spans


# ----------------------------------------------------------------------------- scanner
RX_IP4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d]|\.\d)")
RX_CARD = re.compile(r"(?<![\w])(?:\d[ -]?){12,18}\d(?![\w])")
RX_MAIL = re.compile(r"[\w.+-]+@((?:[\w-]+\.)+[A-Za-z]{2,})")


def scan(text):
    found = []
    for m in RX_IP4.finditer(text):
        try:
            if ip_public(m.group(1)):
                found.append(("ip", m.group(1)))
        except ValueError:
            pass
    for m in RX_CARD.finditer(text):
        d = re.sub(r"[ -]", "", m.group(0))
        if 13 <= len(d) <= 19 and luhn_ok(d) and brand_ok(d):
            found.append(("card", m.group(0)))
    for m in RX_MAIL.finditer(text):
        if not reserved_domain(m.group(1)):
            found.append(("mail", m.group(0)))
    return found


def masked(text, spans):
    t = list(text)
    for s in spans:
        for i in range(s["start"], s["end"]):
            t[i] = "\u2588"
    return "".join(t)


# ----------------------------------------------------------------------------- natural-language templates
NL_POS = [
    (
        "chat_export",
        "[«date», «t1»] «name»: «L_hi» «name2»! «L_here» («svc»)\n[«date», «t2»] «name»: «L_user»: «uname»\n[«date», «t3»] «name»: «L_pw»: ⟪SECRET:pw⟫\n[«date», «t4»] «name2»: «L_thx» 👍\n[«date», «t5»] «name»: «L_del»",
    ),
    (
        "email_to_colleague",
        "«L_hi» «name2»,\n\n«L_here» — «svc»:\n\n«L_srv»: «host» (⟪IP_ADDRESS:ip4⟫)\n«L_user»: «uname»\n«L_pw»: ⟪SECRET:pw⟫\n\n«L_del»\n\n«name»",
    ),
    ("household_note", "🏠 «L_wifi»\nSSID: «ssid»\n«L_pw»: ⟪SECRET:pw⟫\n\nGuest / «ssid2»\n«L_pw»: ⟪SECRET:phrase⟫"),
    (
        "account_table_markdown",
        "| «L_srv» | «L_user» | «L_pw» |\n|---|---|---|\n| «svc» | «uname» | ⟪SECRET:pw⟫ |\n| «svc2» | ⟪EMAIL_ADDRESS:email⟫ | ⟪SECRET:pw⟫ |\n| «svc3» | «uname2» | ⟪SECRET:pin⟫ |",
    ),
    (
        "account_list_csv",
        "«L_user»;«L_mail»;«L_pw»;«L_ip»\n«uname»;⟪EMAIL_ADDRESS:email⟫;⟪SECRET:pw⟫;⟪IP_ADDRESS:ip4⟫\n«uname2»;⟪EMAIL_ADDRESS:email⟫;⟪SECRET:pw⟫;⟪IP_ADDRESS:ip6⟫",
    ),
    (
        "spreadsheet_tsv",
        "«L_srv»\t«L_ip»\t«L_user»\t«L_pw»\n«host»\t⟪IP_ADDRESS:ip4⟫\tadmin\t⟪SECRET:pw⟫\n«host2»\t⟪IP_ADDRESS:ip4⟫\t«uname»\t⟪SECRET:pw⟫",
    ),
    (
        "html_email_table",
        "<p>«L_hi» «name2»,</p>\n<table>\n<tr><th>«L_srv»</th><th>«L_ip»</th><th>«L_pw»</th></tr>\n<tr><td>«host»</td><td>⟪IP_ADDRESS:ip4⟫</td><td>⟪SECRET:pw⟫</td></tr>\n<tr><td>«host2»</td><td>⟪IP_ADDRESS:ip6⟫</td><td>⟪SECRET:pw⟫</td></tr>\n</table>\n<p>«name»</p>",
    ),
    (
        "wiki_table",
        "== «svc» ==\n{| class=\"wikitable\"\n! «L_srv» !! «L_ip» !! «L_key»\n|-\n| «host» || ⟪IP_ADDRESS:ip4⟫ || ⟪SECRET:vendor⟫\n|}\n''«L_del»''",
    ),
    (
        "invoice",
        "«company»\n«L_order»: «ordernum»\n«date»\n\n«L_mail»: ⟪EMAIL_ADDRESS:email⟫\n«L_card»: ⟪CREDIT_CARD:card⟫\n«L_exp»: «expiry»\n«L_total»: «amount»\n\n«L_paid» ✔",
    ),
    (
        "family_email",
        "«L_hi» «name2»,\n\n«L_card»: ⟪CREDIT_CARD:card⟫\n«L_exp»: «expiry», CVV «cvv»\n\n«L_del» ❤️\n«name»",
    ),
    (
        "web_form_submission",
        "--- form submission «date» «t1» ---\nname: «name»\n«L_mail»: ⟪EMAIL_ADDRESS:email⟫\n«L_card»: ⟪CREDIT_CARD:card⟫\n«L_exp»: «expiry»\nclient_ip: ⟪IP_ADDRESS:ip4⟫",
    ),
    (
        "support_ticket",
        "«L_ticket» #«ticketnum» — «svc»\n«L_mail»: ⟪EMAIL_ADDRESS:email⟫\n\n«L_hi», «L_key»: ⟪SECRET:vendor⟫\n«L_ip»: ⟪IP_ADDRESS:ip4⟫\n\n— «name»",
    ),
    (
        "handover_note",
        "«L_here» («svc», «svc2»):\n- VPN: «uname» / ⟪SECRET:pw⟫\n- «L_srv»: ⟪IP_ADDRESS:ip6⟫ (ssh «uname2»)\n- «L_key»: ⟪SECRET:vendor⟫\n- Admin: ⟪EMAIL_ADDRESS:email⟫",
    ),
    (
        "onboarding_note",
        "«L_new» «name2»\n«L_mail»: ⟪EMAIL_ADDRESS:email⟫\n«L_user»: «uname»\n«L_pw» (temp): ⟪SECRET:pin⟫\n\n«L_policy»",
    ),
    ("chat_thread", "«name2» · «t1»\n«L_ask»\n\n«name» · «t2»\n⟪SECRET:phrase⟫\n\n«name2» · «t3»\n«L_thx» 🙏"),
    (
        "fraud_review_note",
        "⚠ «L_order» «ordernum» — «L_ip» ⟪IP_ADDRESS:ip4⟫, «L_mail» ⟪EMAIL_ADDRESS:email⟫, «L_card» ⟪CREDIT_CARD:card⟫ («L_total» «amount»)",
    ),
    (
        "account_list_text",
        "«svc»: ⟪EMAIL_ADDRESS:email⟫ / ⟪SECRET:pw⟫\n«svc2»: ⟪EMAIL_ADDRESS:email⟫ / ⟪SECRET:pw⟫\n«svc3»: «uname» / ⟪SECRET:phrase⟫",
    ),
    ("chat_message", "«L_hi» «name2», «L_here»: https://«uname»:⟪SECRET:pwurl⟫@«host».«domain»/admin\n«L_del»"),
    ("sms_card_share", "«name»: «L_card» ⟪CREDIT_CARD:cardplain⟫ «L_exp» «expiry» — «L_mail» ⟪EMAIL_ADDRESS:email⟫"),
]

NL_NEG = [
    (
        "order_confirmation",
        "order_number_tracking",
        "«L_paid» ✔\n«L_order»: «ordernum»\n«L_track»: «tracknum»\n«L_ending» «last4»\n«L_total»: «amount»\n«L_mail»: «exmail»",
    ),
    (
        "booking_confirmation",
        "booking_reference",
        "✈ «L_book»: «bookref»\n«name»\n«date»\n«L_ending» «last4» («masked_card»)",
    ),
    ("onboarding_note", "password_policy_text", "«L_new» «name2» — «L_user»: «uname»\n«L_policy»"),
    (
        "support_ticket",
        "masked_credentials",
        "«L_ticket» #«ticketnum»\n«L_user»: «uname»\n«L_pw»: ********\n«L_card»: «masked_card»",
    ),
    ("chat_thread", "password_request_without_value", "«name2»: «L_ask»\n«name»: → Bitwarden, «svc» / «uname» 🔐"),
    ("household_note", "network_name_private_ip", "«L_wifi»: → Router\nSSID: «ssid»\nMAC: «mac»\n«L_ip»: «privip»"),
    (
        "contact_list",
        "reserved_domain_email",
        "«name» — «L_mail»: «exmail»\n«name2» — «L_mail»: «exmail2»\n«L_user»: «uname»",
    ),
    (
        "wiki_table",
        "private_and_documentation_ip",
        "| «L_srv» | «L_ip» |\n|---|---|\n| «host» | «privip» |\n| «host2» | «privip2» |\n| gw-doc | «docip» |",
    ),
    (
        "invoice",
        "invoice_masked_card",
        "«company»\nRE «invnum»\n«L_total»: «amount»\n«L_card»: «masked_card»\n«L_paid»",
    ),
    ("web_form_submission", "luhn_invalid_card", "«L_card»: «badcard» ✗\n«L_exp»: «expiry»\n(«L_ticket» #«ticketnum»)"),
    ("shipping_notification", "tracking_number", "📦 «L_track»: «tracknum»\n«L_order»: «ordernum»\n«date» · «city»"),
    ("chat_message", "ssh_public_key", "«L_hi» «name2», ssh key:\n«sshpub»"),
    ("chat_message", "password_hash", "«L_pw» (bcrypt): «bcrypt»\n«L_user»: «uname»"),
    (
        "account_table_markdown",
        "placeholder_password",
        "| «L_user» | «L_pw» |\n|---|---|\n| «uname» | <…> |\n| «uname2» | (Bitwarden) |",
    ),
]

# ----------------------------------------------------------------------------- code / config / logs (English)
CODE_POS = [
    (
        "dotenv",
        "# «svc» production\nAPP_ENV=production\nDB_HOST=⟪IP_ADDRESS:ip4⟫\nDB_USER=«uname»\nDB_PASSWORD=⟪SECRET:pw⟫\nSTRIPE_SECRET_KEY=⟪SECRET:sk_live⟫\nMAIL_FROM=⟪EMAIL_ADDRESS:email⟫\n",
    ),
    (
        "laravel_env",
        "APP_NAME=«company»\nAPP_KEY=base64:⟪SECRET:b64_32⟫\nMAIL_MAILER=smtp\nMAIL_USERNAME=⟪EMAIL_ADDRESS:email⟫\nMAIL_PASSWORD=⟪SECRET:pw⟫\n",
    ),
    (
        "docker_compose",
        "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: «uname»\n      POSTGRES_PASSWORD: ⟪SECRET:pw⟫\n  app:\n    environment:\n      - REDIS_URL=redis://:⟪SECRET:pwurl⟫@redis:6379/0\n",
    ),
    (
        "k8s_manifest",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: «svc»-db\ntype: Opaque\ndata:\n  username: «b64user»\n  password: ⟪SECRET:b64pw⟫\n",
    ),
    ("shell_command", "$ curl -u «uname»:⟪SECRET:pwurl⟫ https://api.«domain»/v2/exports?since=«date»\n"),
    (
        "shell_command",
        "curl -s https://api.«domain»/v1/me \\\n  -H \"Authorization: Bearer ⟪SECRET:jwt⟫\" \\\n  -H 'Accept: application/json'\n",
    ),
    (
        "python_source",
        'import requests\n\nHEADERS = {"Authorization": "token ⟪SECRET:ghp⟫"}\nr = requests.get("https://api.github.com/user/repos", headers=HEADERS)\n',
    ),
    (
        "git_config",
        '[remote "origin"]\n\turl = https://«uname»:⟪SECRET:ghp⟫@github.com/«acct»/«svc».git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    ),
    (
        "java_properties",
        "spring.datasource.url=jdbc:postgresql://⟪IP_ADDRESS:ip4⟫:5432/shop?user=app&password=⟪SECRET:pwurl⟫\nspring.mail.username=⟪EMAIL_ADDRESS:email⟫\n",
    ),
    (
        "node_source",
        '// TODO move to env before release\nconst uri = "mongodb+srv://app:⟪SECRET:pwurl⟫@cluster0.«rand5».mongodb.net/prod?retryWrites=true";\n',
    ),
    ("netrc", "machine ftp.«domain»\n  login «uname»\n  password ⟪SECRET:pw⟫\n"),
    (
        "pgpass",
        "# hostname:port:database:username:password\n⟪IP_ADDRESS:ip4⟫:5432:billing:«uname»:⟪SECRET:pw⟫\n«host»:5432:*:postgres:⟪SECRET:pw⟫\n",
    ),
    ("npmrc", "registry=https://registry.npmjs.org/\n//registry.npmjs.org/:_authToken=⟪SECRET:npm⟫\n"),
    ("pip_conf", "[global]\nindex-url = https://«uname»:⟪SECRET:pwurl⟫@pypi.«domain»/simple\n"),
    ("pypirc", "[pypi]\n  username = __token__\n  password = ⟪SECRET:pypi⟫\n"),
    (
        "wireguard_conf",
        "[Interface]\nPrivateKey = ⟪SECRET:wgkey⟫\nAddress = 10.8.0.«num»/24\n\n[Peer]\nPublicKey = «wgpub»\nEndpoint = ⟪IP_ADDRESS:ip4⟫:51820\nAllowedIPs = 0.0.0.0/0\n",
    ),
    ("hostapd_conf", "interface=wlan0\nssid=«ssid»\nwpa=2\nwpa_key_mgmt=WPA-PSK\nwpa_passphrase=⟪SECRET:phrase⟫\n"),
    (
        "nginx_access_log",
        '⟪IP_ADDRESS:ip4⟫ - - [«date»:«t1»:07 +0000] "POST /wp-login.php HTTP/1.1" 200 4511 "-" "Mozilla/5.0"\n⟪IP_ADDRESS:ip6⟫ - - [«date»:«t2»:31 +0000] "GET /xmlrpc.php HTTP/1.1" 403 153 "-" "curl/8.4"\n',
    ),
    (
        "auth_log",
        "sshd[«num»]: Failed password for invalid user «uname» from ⟪IP_ADDRESS:ip4⟫ port 52311 ssh2\nsshd[«num»]: Accepted publickey for deploy from ⟪IP_ADDRESS:ip4⟫ port 40022 ssh2\n",
    ),
    (
        "mail_log",
        "postfix/smtp[«num»]: 4F2A1«rand5»: to=<⟪EMAIL_ADDRESS:email⟫>, relay=mx.«domain»[⟪IP_ADDRESS:ip4⟫]:25, delay=0.8, status=sent (250 OK)\n",
    ),
    (
        "python_settings",
        "SECRET_KEY = '⟪SECRET:django⟫'\nEMAIL_HOST_USER = '⟪EMAIL_ADDRESS:email⟫'\nEMAIL_HOST_PASSWORD = '⟪SECRET:pw⟫'\nADMINS = [('«name»', '⟪EMAIL_ADDRESS:email⟫')]\n",
    ),
    ("node_source", 'import OpenAI from "openai";\nconst client = new OpenAI({ apiKey: "⟪SECRET:openai⟫" });\n'),
    (
        "python_source",
        'import anthropic\nclient = anthropic.Anthropic(api_key="⟪SECRET:anthropic⟫")  # «name» local test\n',
    ),
    (
        "terraform_tfvars",
        'do_token          = "⟪SECRET:dop⟫"\nssh_allowed_cidr  = "⟪IP_ADDRESS:ip4⟫/32"\nregion            = "fra1"\n',
    ),
    (
        "aws_credentials",
        "[default]\naws_access_key_id = ⟪SECRET:aws_id⟫\naws_secret_access_key = ⟪SECRET:aws_secret⟫\nregion = eu-central-1\n",
    ),
    (
        "ci_workflow",
        'env:\n  SLACK_BOT_TOKEN: ⟪SECRET:xoxb⟫\n  NOTIFY_CHANNEL: "#deploys"\njobs:\n  notify:\n    runs-on: ubuntu-latest\n',
    ),
    (
        "chat_export_json",
        '{"user": "«uname»", "ts": "«date»T«t1»", "text": "token for the export script: ⟪SECRET:xoxp⟫"}\n',
    ),
    (
        "python_source",
        'from telegram.ext import Application\nTOKEN = "⟪SECRET:telegram⟫"\napp = Application.builder().token(TOKEN).build()\n',
    ),
    (
        "node_source",
        "const { Client } = require('discord.js');\nconst bot = new Client({ intents: [] });\nbot.login('⟪SECRET:discord⟫');\n",
    ),
    (
        "php_source",
        "<?php\n$sg = new \\SendGrid('⟪SECRET:sendgrid⟫');\n$mail->setFrom('⟪EMAIL_ADDRESS:email⟫', '«company»');\n",
    ),
    ("dotenv", "MAILGUN_API_KEY=⟪SECRET:mailgun⟫\nMAILGUN_DOMAIN=mg.«domain»\nMAILGUN_SENDER=⟪EMAIL_ADDRESS:email⟫\n"),
    (
        "http_request_dump",
        "GET /admin/api/2024-01/orders.json HTTP/1.1\nHost: «acct».myshopify.com\nX-Shopify-Access-Token: ⟪SECRET:shopify⟫\nX-Forwarded-For: ⟪IP_ADDRESS:ip4⟫\n",
    ),
    ("shell_history", "  «num»  huggingface-cli login --token ⟪SECRET:hf⟫\n  «num»  git push origin main\n"),
    ("python_source", 'import stripe\nstripe.api_key = "⟪SECRET:sk_test⟫"\nendpoint_secret = "⟪SECRET:whsec⟫"\n'),
    ("dotenv", "TWILIO_ACCOUNT_SID=«twsid»\nTWILIO_AUTH_TOKEN=⟪SECRET:hex32⟫\nTWILIO_API_KEY=⟪SECRET:twilio_sk⟫\n"),
    ("gist_paste", "deploy key for «host» (do not share)\n\n⟪SECRET:pem⟫\n"),
    (
        "http_request_dump",
        "POST /api/upload HTTP/1.1\nHost: files.«domain»\nAuthorization: Basic ⟪SECRET:basic⟫\nX-Real-IP: ⟪IP_ADDRESS:ip4⟫\nContent-Length: «num»\n",
    ),
    (
        "http_request_dump",
        "GET /dashboard HTTP/2\nCookie: sessionid=⟪SECRET:session⟫; csrftoken=«csrf»; lang=en\nX-Forwarded-For: ⟪IP_ADDRESS:ip6⟫\n",
    ),
    (
        "kubeconfig",
        "clusters:\n- cluster:\n    server: https://⟪IP_ADDRESS:ip4⟫:6443\n  name: «svc»\nusers:\n- name: ci\n  user:\n    token: ⟪SECRET:jwt⟫\n",
    ),
    (
        "shell_command",
        "export VAULT_ADDR=https://vault.«domain»:8200\nexport VAULT_TOKEN=⟪SECRET:hvs⟫\nvault kv get secret/«svc»\n",
    ),
    (
        "appsettings_json",
        '{\n  "ConnectionStrings": {\n    "Blob": "DefaultEndpointsProtocol=https;AccountName=«acct»;AccountKey=⟪SECRET:azure⟫;EndpointSuffix=core.windows.net"\n  }\n}\n',
    ),
    ("gitlab_ci", 'variables:\n  GITLAB_TOKEN: "⟪SECRET:glpat⟫"\n  DEPLOY_HOST: "⟪IP_ADDRESS:ip4⟫"\n'),
    (
        "dotenv",
        "JIRA_URL=https://«acct».atlassian.net\nJIRA_USER=⟪EMAIL_ADDRESS:email⟫\nJIRA_API_TOKEN=⟪SECRET:atlassian⟫\n",
    ),
    (
        "postman_collection",
        '"auth": {"type": "apikey", "apikey": [{"key": "value", "value": "⟪SECRET:postman⟫"}, {"key": "key", "value": "X-Api-Key"}]}\n',
    ),
    ("dotenv", "NOTION_TOKEN=⟪SECRET:notion⟫\nLINEAR_API_KEY=⟪SECRET:linear⟫\nFIGMA_TOKEN=⟪SECRET:figd⟫\n"),
    ("node_source", 'mailchimp.setConfig({\n  apiKey: "⟪SECRET:mailchimp⟫",\n  server: "us«num»",\n});\n'),
    (
        "yaml_config",
        "newrelic:\n  api_key: ⟪SECRET:nrak⟫\ngrafana:\n  url: https://grafana.«domain»\n  token: ⟪SECRET:glsa⟫\n",
    ),
    (
        "terraform_credentials",
        '{\n  "credentials": {\n    "app.terraform.io": {\n      "token": "⟪SECRET:tfc⟫"\n    }\n  }\n}\n',
    ),
    (
        "sql_fixture",
        "INSERT INTO customers (email, card_number, last_login_ip) VALUES\n  ('⟪EMAIL_ADDRESS:email⟫', '⟪CREDIT_CARD:cardplain⟫', '⟪IP_ADDRESS:ip4⟫'),\n  ('⟪EMAIL_ADDRESS:email⟫', '⟪CREDIT_CARD:cardplain⟫', '⟪IP_ADDRESS:ip4⟫');\n",
    ),
    (
        "payment_log",
        '{"event":"charge.failed","email":"⟪EMAIL_ADDRESS:email⟫","pan":"⟪CREDIT_CARD:cardplain⟫","client_ip":"⟪IP_ADDRESS:ip6⟫","amount":«num»00}\n',
    ),
    (
        "crontab",
        "# nightly backup\n0 3 * * * mysqldump -u backup -p'⟪SECRET:pw⟫' --all-databases | gzip > /srv/backup/db.sql.gz\n",
    ),
    ("shell_command", "docker login -u «uname» -p ⟪SECRET:pw⟫ registry.«domain»\n"),
    (
        "python_source",
        'GOOGLE_API_KEY = "⟪SECRET:gapi⟫"\ngeo = requests.get(URL, params={"address": addr, "key": GOOGLE_API_KEY})\n',
    ),
    ("dotenv", "SQUARE_ENVIRONMENT=production\nSQUARE_ACCESS_TOKEN=⟪SECRET:square⟫\nDROPBOX_TOKEN=⟪SECRET:dropbox⟫\n"),
    ("shell_command", "gh auth login --with-token <<< '⟪SECRET:github_pat⟫'\n"),
    ("yaml_config", "stripe:\n  restricted_key: ⟪SECRET:rk_live⟫\n  publishable_key: «pk_live»\n"),
    ("dotenv", "DOPPLER_TOKEN=⟪SECRET:doppler⟫\nOAUTH_GITHUB_TOKEN=⟪SECRET:gho⟫\n"),
    (
        "csv_export",
        "email,card,ip\n⟪EMAIL_ADDRESS:email⟫,⟪CREDIT_CARD:card⟫,⟪IP_ADDRESS:ip4⟫\n⟪EMAIL_ADDRESS:email⟫,⟪CREDIT_CARD:card⟫,⟪IP_ADDRESS:ip4⟫\n",
    ),
    (
        "nginx_conf",
        'location /admin {\n    allow ⟪IP_ADDRESS:ip4⟫/32;\n    allow ⟪IP_ADDRESS:ip6⟫;\n    deny all;\n    auth_basic "staff";\n}\n',
    ),
    (
        "smtp_config",
        'smtp:\n  host: smtp.«domain»\n  port: 587\n  user: ⟪EMAIL_ADDRESS:email⟫\n  password: "⟪SECRET:phrase⟫"\n',
    ),
    (
        "ldap_config",
        "ldap:\n  url: ldaps://⟪IP_ADDRESS:ip4⟫:636\n  bind_dn: cn=«uname»,ou=svc,dc=«acct»,dc=local\n  bind_password: ⟪SECRET:pw⟫\n",
    ),
    (
        "php_source",
        "<?php\ndefine('DB_NAME', 'wp_«acct»');\ndefine('DB_USER', '«uname»');\ndefine('DB_PASSWORD', '⟪SECRET:pw⟫');\ndefine('DB_HOST', '⟪IP_ADDRESS:ip4⟫');\n",
    ),
    (
        "router_config",
        "/ip service set winbox address=⟪IP_ADDRESS:ip4⟫/32\n/user add name=«uname» group=full password=⟪SECRET:pw⟫\n/interface wireless security-profiles set default wpa2-pre-shared-key=⟪SECRET:phrase⟫\n",
    ),
]

CODE_NEG = [
    (
        "sql_fixture",
        "password_hash_bcrypt",
        "INSERT INTO users (username, email, password_hash) VALUES\n  ('«uname»', '«exmail»', '«bcrypt»'),\n  ('«uname2»', '«exmail2»', '«bcrypt2»');\n",
    ),
    (
        "shadow_file",
        "password_hash_crypt",
        "«uname»:«crypt6»:19«num»:0:99999:7:::\nbackup:«crypt1»:19«num»:0:99999:7:::\n",
    ),
    ("json_record", "argon2_hash", '{"user": "«uname»", "hash": "«argon2»", "updated": "«date»"}\n'),
    (
        "router_config",
        "cisco_secret_hash",
        "hostname «host»\nenable secret 9 «cisco9»\nusername «uname» privilege 15 secret 8 «cisco8»\ninterface Vlan1\n ip address «privip» 255.255.255.0\n",
    ),
    (
        "checksum_file",
        "checksum_digest",
        "«sha256»  «svc»-«ver»-linux-amd64.tar.gz\n«sha256b»  «svc»-«ver»-darwin-arm64.tar.gz\n",
    ),
    (
        "git_log",
        "git_commit_sha",
        "commit «sha1»\nAuthor: «name» <«exmail»>\nDate:   «date»\n\n    fix login redirect\n\ncommit «sha1b»\n",
    ),
    (
        "app_log",
        "request_trace_id",
        "«date» «t1» INFO request_id=«uuid» trace_id=«md5» user=«uname» status=200 path=/login\n",
    ),
    (
        "http_request_dump",
        "idempotency_key",
        "POST /v1/payment_intents HTTP/1.1\nIdempotency-Key: «uuid»\nX-Request-Id: «uuid2»\nStripe-Version: 2024-06-20\n",
    ),
    (
        "redis_cli",
        "cache_key",
        '127.0.0.1:6379> KEYS session:*\n1) "cache:user:«num»:profile:v2"\n2) "ratelimit:login:«sha1»"\n3) "etag:«md5»"\n',
    ),
    (
        "html_form",
        "csrf_token",
        '<form method="post" action="/login">\n  <input type="hidden" name="csrfmiddlewaretoken" value="«csrf»">\n  <input name="username" value="«uname»">\n  <input type="password" name="password">\n</form>\n',
    ),
    (
        "html_page",
        "csp_nonce",
        "Content-Security-Policy: script-src 'self' 'nonce-«nonce»'\n<script nonce=\"«nonce»\" src=\"/app.«md5».js\"></script>\n",
    ),
    (
        "vault_output",
        "vault_accessor",
        "Key                 Value\n---                 -----\naccessor            «accessor»\ndisplay_name        userpass-«uname»\npolicies            [default «svc»-read]\nttl                 767h59m\n",
    ),
    (
        "html_page",
        "publishable_key",
        "<script src=\"https://js.stripe.com/v3/\"></script>\n<script>const stripe = Stripe('«pk_live»');</script>\n",
    ),
    (
        "node_source",
        "mapbox_public_token",
        "mapboxgl.accessToken = '«mapbox»';\nconst map = new mapboxgl.Map({ container: 'map', zoom: 11 });\n",
    ),
    (
        "json_config",
        "oauth_client_id",
        '{\n  "web": {\n    "client_id": "«gclient»",\n    "auth_uri": "https://accounts.google.com/o/oauth2/auth"\n  }\n}\n',
    ),
    ("html_form", "recaptcha_site_key", '<div class="g-recaptcha" data-sitekey="«recaptcha»"></div>\n'),
    ("authorized_keys", "ssh_public_key", "«sshpub»\n"),
    ("pem_file", "public_key_pem", "# «svc» webhook verification key (public)\n«pubpem»\n"),
    ("pem_file", "certificate_pem", "# chain for «domain»\n«certpem»\n"),
    ("readme", "crypto_wallet", "## Support the project\nBTC/ETH: «wallet»\nAlt: «wallet2»\n"),
    (
        "dotenv_example",
        "env_var_reference",
        "# «svc»: copy to .env («date»)\nDB_USER=«uname»\nDB_PASSWORD=${DB_PASSWORD}\nSTRIPE_SECRET_KEY=${STRIPE_SECRET_KEY:?missing}\nSMTP_PASS=\nAPI_TOKEN=$(cat /run/secrets/api_token)\n",
    ),
    (
        "yaml_config",
        "placeholder_value",
        'api:\n  key: <YOUR_API_KEY>\n  secret: your_secret_here\ndb:\n  password: "CHANGE_ME"  # set in «svc»\n',
    ),
    (
        "readme",
        "doc_example_credentials",
        "```ini\n[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n```\nReplace with your own keys («svc» docs).\n",
    ),
    (
        "app_log",
        "masked_secret",
        "«date» «t1» WARN retrying auth user=«uname» password=******** api_key=sk_live_****«rand5» token=[REDACTED]\n",
    ),
    (
        "ansible_inventory",
        "private_ip",
        "[db]\n«host» ansible_host=«privip»\n«host2» ansible_host=«privip2»\n[web]\n«host3» ansible_host=«privip3»\n",
    ),
    (
        "readme",
        "documentation_ip",
        "Point the record at «docip» (IPv4) or 2001:db8:«num»::1 (IPv6); the fallback is «docip2».\n",
    ),
    (
        "hosts_file",
        "special_ip",
        "127.0.0.1   localhost\n::1         localhost ip6-localhost\n169.254.169.254 metadata\nfe80::1%eth0 router\n224.0.0.251 mdns\n0.0.0.0     ads.«domain»\n",
    ),
    (
        "test_fixture",
        "reserved_domain_email",
        'USERS = [\n    {"name": "«name»", "email": "«exmail»"},\n    {"name": "«name2»", "email": "«exmail2»"},\n]\n',
    ),
    (
        "unit_test",
        "luhn_invalid_number",
        'def test_rejects_bad_checksum():\n    assert not is_valid_card("«badcard»")\n',
    ),
    (
        "docker_inspect",
        "checksum_digest",
        '"RepoDigests": [\n    "registry.«domain»/«svc»@sha256:«sha256»"\n],\n"Id": "sha256:«sha256b»"\n',
    ),
    ("dhcp_leases", "mac_address", 'lease «privip» {\n  hardware ethernet «mac»;\n  client-hostname "«host»";\n}\n'),
    (
        "wireguard_conf",
        "wireguard_public_key",
        "[Peer]\n# «name»\nPublicKey = «wgpub»\nAllowedIPs = 10.8.0.«num»/32\n\n[Peer]\nPublicKey = «wgpub2»\n",
    ),
    ("json_record", "uuid_identifier", '{"id": "«uuid»", "owner": "«uname»", "workspace": "«uuid2»"}\n'),
    ("changelog", "version_number", "## «ver» («date»)\n- bump «svc» client to «ver»\n- build «num» published\n"),
    (
        "ci_workflow",
        "ci_secret_reference",
        "env:\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n  AWS_SECRET_ACCESS_KEY: ${{ secrets.AWS_SECRET_ACCESS_KEY }}\n  DEPLOY_USER: «uname»\n",
    ),
    (
        "yaml_config",
        "password_policy_config",
        "password_policy:\n  min_length: 12\n  require_digit: true\n  require_symbol: true\n  max_age_days: «num»\n  history: 5\n",
    ),
    (
        "jwks_json",
        "public_jwk",
        '{"keys": [{"kty": "RSA", "kid": "«md5»", "use": "sig", "e": "AQAB", "n": "«csrf»«csrf»"}]}\n',
    ),
    (
        "html_page",
        "subresource_integrity",
        '<link rel="stylesheet" href="https://cdn.«domain»/«svc».min.css" integrity="sha384-«nonce»«nonce»" crossorigin="anonymous">\n',
    ),
    (
        "html_page",
        "analytics_id",
        "<script async src=\"https://www.googletagmanager.com/gtag/js?id=«gaid»\"></script>\n<script>gtag('config', '«gaid»');</script>\n",
    ),
    (
        "app_log",
        "vendor_object_id",
        "«date» «t1» stripe webhook ok customer=«stripeid» object=«stripeid» livemode=true\n",
    ),
    ("json_record", "username_only", '{"login": "«uname»", "display": "«name»", "last_seen": "«date»", "mfa": true}\n'),
    ("app_log", "masked_card_log", "«date» «t1» payment ok card=«masked_card» brand=visa 3ds=pass order=«ordernum»\n"),
]


# ----------------------------------------------------------------------------- build
def main():
    rng = RNG
    records, seen_text = [], set()
    tpl_no = [0]

    def emit(tpl, lang, context, category, n_variants):
        tpl_no[0] += 1
        tn = tpl_no[0]
        for v in range(n_variants):
            for attempt in range(200):
                text, spans = render(tpl, lang, rng)
                if text in seen_text:
                    continue
                if scan(masked(text, spans)):
                    continue
                break
            else:
                raise AssertionError("could not render template %d: %r" % (tn, tpl[:60]))
            seen_text.add(text)
            records.append(
                {
                    "id": "t33-%d-%d" % (tn, v),
                    "text": text,
                    "lang": lang,
                    "context": context,
                    "category": category,
                    "spans": spans,
                }
            )

    for lang in LANGS:
        pos = rng.sample(range(len(NL_POS)), 12)
        neg = rng.sample(range(len(NL_NEG)), 7)
        for i in sorted(pos):
            ctx, tpl = NL_POS[i]
            emit(tpl, lang, ctx, "positive", 1)
        for i in sorted(neg):
            ctx, cat, tpl = NL_NEG[i]
            emit(tpl, lang, ctx, cat, 1)
    for ctx, tpl in CODE_POS:
        emit(tpl, "en", ctx, "positive", 4)
    for ctx, cat, tpl in CODE_NEG:
        emit(tpl, "en", ctx, cat, 5)

    check(records)
    gens = Counter(s["_g"] for r in records for s in r["spans"])
    for r in records:
        for s in r["spans"]:
            s.pop("_v")
            s.pop("_g")
    with open(OUT, "w", encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    summary(records, gens)


PW_END_BAD = tuple(".,!?:;")


def check(records):
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    texts = [r["text"] for r in records]
    assert len(texts) == len(set(texts)), "duplicate texts"
    for r in records:
        t, spans = r["text"], r["spans"]
        assert "«" not in t and "⟪" not in t, r["id"]
        if r["category"] == "positive":
            assert spans, r["id"]
        else:
            assert not spans, r["id"]
            assert not scan(t), (r["id"], scan(t))
            continue
        prev_end = -1
        for s in sorted(spans, key=lambda s: s["start"]):
            assert s["start"] >= prev_end, ("overlap", r["id"])
            prev_end = s["end"]
            v = t[s["start"] : s["end"]]
            assert v == s["_v"], (r["id"], v, s["_v"])
            assert v == v.strip() and v, r["id"]
            e = s["entity"]
            if e == "IP_ADDRESS":
                assert ip_public(v), (r["id"], v)
            elif e == "CREDIT_CARD":
                d = re.sub(r"[ -]", "", v)
                assert d.isdigit() and luhn_ok(d) and brand_ok(d), (r["id"], v)
            elif e == "EMAIL_ADDRESS":
                assert re.fullmatch(r"[\w.+-]+@(?:[\w-]+\.)+[A-Za-z]{2,}", v) and not reserved_domain(
                    v.split("@")[1]
                ), (r["id"], v)
            elif e == "SECRET":
                assert not any(f in v.lower() for f in FORBIDDEN_IN_SECRET), (r["id"], v)
                if s["_g"] in PASSWORD_GENS:
                    assert len(v) >= 6 and v[0].isalnum() and not v.endswith(PW_END_BAD), (r["id"], v)
                    kinds = sum([any(c.islower() for c in v), any(c.isupper() for c in v), any(c.isdigit() for c in v)])
                    assert kinds >= 2, (r["id"], v)
                    if s["_g"] != "pin":
                        assert len(v) >= 8, (r["id"], v)
                if s["_g"] == "pem":
                    assert v.startswith("-----BEGIN ") and v.endswith("PRIVATE KEY-----"), r["id"]
            else:
                raise AssertionError(e)
        assert not scan(masked(t, spans)), (r["id"], scan(masked(t, spans)))


def summary(records, gens):
    ent = Counter(s["entity"] for r in records for s in r["spans"])
    cats = Counter(r["category"] for r in records)
    langs = Counter(r["lang"] for r in records)
    ctxs = Counter(r["context"] for r in records)
    tpls = len({r["id"].rsplit("-", 1)[0] for r in records})
    npos = cats["positive"]
    print("records:", len(records), "positive:", npos, "negative:", len(records) - npos)
    print(
        "templates:",
        tpls,
        "| NL structures:",
        len(NL_POS),
        "+",
        len(NL_NEG),
        "| code templates:",
        len(CODE_POS),
        "+",
        len(CODE_NEG),
    )
    print("spans per entity:", dict(ent))
    print("non-English / natural-language share:", sum(1 for r in records if r["lang"] != "en"), "non-en records")
    print(
        "negative categories (%d):" % (len(cats) - 1), dict(sorted((k, v) for k, v in cats.items() if k != "positive"))
    )
    vend = {k: v for k, v in gens.items() if k in VENDOR}
    print("vendor token formats used (%d):" % len(vend), dict(sorted(vend.items())))
    print("secret generators:", dict(sorted((k, v) for k, v in gens.items() if k not in VENDOR)))
    print("languages (%d):" % len(langs), dict(sorted(langs.items())))
    print("contexts (%d):" % len(ctxs), dict(sorted(ctxs.items())))


if __name__ == "__main__":
    main()
