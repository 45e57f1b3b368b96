#!/usr/bin/env python3
"""Generate PII test set 17: multilingual chat / e-mail / ticket texts with
informally shared credentials, e-mail addresses, public IPs and card numbers,
plus hard negatives in the same settings.

Output: pii_testset17.jsonl (next to this script), one JSON object per line:
  {"id", "text", "lang", "context", "category", "spans": [{"start","end","entity"}]}
Entities: EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD, SECRET.

How it works
------------
* Everything is random but deterministic: a single random.Random(1717) drives
  all choices; only the Python standard library is used.
* 45 per-language phrase books (same 31 phrase slots + 3 person names each)
  feed ~180 language-neutral "structural" templates; ~90 further templates
  are written directly in one language.  Template syntax:
    {pw}/{Pw}        phrase-book slot (capitalised variant with upper first letter)
    {qo}{qc}         the language's quotation marks (« », „ “, 「 」, ‹ › ...)
    {nm} {nm2} {sep} person names / a random separator (": ", " → ", ...)
    {n_xxx}          UNLABELLED filler (order number, SSID, private IP, hash...)
    {PW} {EMAIL} ... LABELLED value; {PW#a} re-uses the same value later in
                     the text (a password repeated in a thread), both labelled.
  Spans are recorded while the text is assembled (never searched afterwards).
* Values are generated: passwords/passphrases/Wi-Fi keys/alphanumeric codes,
  vendor tokens in real formats (GitHub, GitLab, Slack, Stripe, AWS, Google,
  OpenAI, Anthropic, Twilio, SendGrid, Mailgun, npm, PyPI, Telegram, Discord,
  Shopify, Hugging Face, DigitalOcean, Notion, Linear, Postman, Square,
  Mapbox secret), JWTs, private-key blocks, Basic-auth / K8s base64 values,
  Luhn-valid cards of real brands, global IPv4/IPv6, e-mails on invented or
  common provider domains.

Fatal checks (assert)
---------------------
* text[start:end] == inserted value for every span; spans sorted, in range,
  non-overlapping; positives have >= 1 span, negatives none.
* IP spans: ipaddress.is_global, not multicast, not in documentation ranges.
* CREDIT_CARD spans: digits (after removing spaces/dashes) pass Luhn and have
  a real brand prefix/length (Visa, Mastercard, Amex, Discover, JCB, Diners,
  UnionPay, Mir).
* EMAIL spans: domain not example.com/.org/.net and TLD not test/invalid/
  localhost/example.
* SECRET spans: no placeholder markers (example / xxxx / your_), do not end
  in . , ! ? : ; and do not start with a symbol (PEM blocks excepted);
  password-type values have >= 8 chars and >= 2 character classes.
* ids unique, texts unique, categories snake_case, >= 40 languages.
* Scanner: on negative texts, and on positive texts with labelled spans blanked
  out, a simple scanner must find no public IPv4 (dotted quad, octets <= 255,
  is_global), no Luhn-valid brand-prefixed digit run (13-19 digits, spaces or
  dashes allowed, every contiguous run of digit groups tried), and no e-mail on
  a non-reserved domain.  Candidate records that trip the scanner (e.g. an
  order number that happens to be a Luhn-valid JCB number, or a phone number
  that is a valid 13-digit Visa) are regenerated during generation; the final
  pass asserts.  No category-specific exceptions are needed.
* Quotas: >= 600 SECRET, >= 100 EMAIL, >= 100 IP, >= 50 CARD spans,
  >= 450 negatives in >= 25 categories, negatives >= 40 % of records,
  >= 200 distinct templates.
"""

import base64
import ipaddress
import json
import os
import re
import string
import sys
import uuid
from collections import Counter
import random

SEED = 1717
rng = random.Random(SEED)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset17.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
HEX = "0123456789abcdef"
B64 = UP + LOW + DIG + "+/"
B64URL = UP + LOW + DIG + "-_"

# ---------------------------------------------------------------- phrase books
KEYS = (
    "hi thanks pw wifi login email server router camera card key codes pin here new "
    "again dont order tracking booking coupon sku network file version flight plate "
    "ticket invoice user forgot names"
).split()

PB_RAW = {
    "en": "Hi|Thanks!|password|Wi-Fi password|login|email|server|router|camera|card number|API key|backup codes|access code|here you go|new password|once more, the password|please don't share it with anyone|order number|tracking number|booking reference|discount code|item number|network name|file|version|flight|licence plate|ticket number|invoice|username|I forgot my password, how do I reset it?|Emma,Liam,Olivia",
    "de": "Hallo|Danke!|Passwort|WLAN-Passwort|Login|E-Mail|Server|Router|Kamera|Kartennummer|API-Schlüssel|Backup-Codes|Zugangscode|bitte schön|neues Passwort|nochmal, das Passwort|bitte mit niemandem teilen|Bestellnummer|Sendungsnummer|Buchungsnummer|Rabattcode|Artikelnummer|Netzwerkname|Datei|Version|Flug|Kennzeichen|Ticketnummer|Rechnung|Benutzername|Ich habe mein Passwort vergessen, wie setze ich es zurück?|Jonas,Lena,Matthias",
    "fr": "Salut|Merci !|mot de passe|mot de passe Wi-Fi|identifiant|e-mail|serveur|box|caméra|numéro de carte|clé API|codes de secours|code d'accès|voilà|nouveau mot de passe|je répète, le mot de passe|ne le partage avec personne|numéro de commande|numéro de suivi|référence de réservation|code promo|référence article|nom du réseau|fichier|version|vol|plaque d'immatriculation|numéro de ticket|facture|nom d'utilisateur|J'ai oublié mon mot de passe, comment le réinitialiser ?|Camille,Julien,Chloé",
    "es": "Hola|¡Gracias!|contraseña|contraseña del wifi|usuario de acceso|correo|servidor|router|cámara|número de tarjeta|clave API|códigos de respaldo|código de acceso|aquí tienes|nueva contraseña|repito, la contraseña|no la compartas con nadie|número de pedido|número de seguimiento|localizador de reserva|código de descuento|referencia del artículo|nombre de la red|archivo|versión|vuelo|matrícula|número de ticket|factura|nombre de usuario|Olvidé mi contraseña, ¿cómo la restablezco?|Lucía,Javier,Marta",
    "it": "Ciao|Grazie!|password|password del Wi-Fi|login|email|server|router|telecamera|numero della carta|chiave API|codici di backup|codice di accesso|eccola|nuova password|ripeto, la password|non condividerla con nessuno|numero d'ordine|numero di tracking|codice prenotazione|codice sconto|codice articolo|nome della rete|file|versione|volo|targa|numero del ticket|fattura|nome utente|Ho dimenticato la password, come faccio a reimpostarla?|Giulia,Marco,Francesca",
    "pt": "Olá|Obrigado!|senha|senha do Wi-Fi|login|e-mail|servidor|roteador|câmera|número do cartão|chave de API|códigos de backup|código de acesso|aqui está|nova senha|repetindo, a senha|não compartilhe com ninguém|número do pedido|código de rastreio|código da reserva|cupom de desconto|código do produto|nome da rede|arquivo|versão|voo|placa|número do chamado|fatura|nome de usuário|Esqueci minha senha, como faço para redefinir?|Ana,Rafael,Beatriz",
    "nl": "Hoi|Bedankt!|wachtwoord|wifi-wachtwoord|login|e-mail|server|router|camera|kaartnummer|API-sleutel|back-upcodes|toegangscode|alsjeblieft|nieuw wachtwoord|nog een keer, het wachtwoord|deel het met niemand|bestelnummer|trackingnummer|boekingsnummer|kortingscode|artikelnummer|netwerknaam|bestand|versie|vlucht|kenteken|ticketnummer|factuur|gebruikersnaam|Ik ben mijn wachtwoord vergeten, hoe reset ik het?|Daan,Sanne,Pieter",
    "sv": "Hej|Tack!|lösenord|wifi-lösenord|inloggning|e-post|server|router|kamera|kortnummer|API-nyckel|reservkoder|åtkomstkod|varsågod|nytt lösenord|en gång till, lösenordet|dela det inte med någon|ordernummer|spårningsnummer|bokningsnummer|rabattkod|artikelnummer|nätverksnamn|fil|version|flyg|registreringsnummer|ärendenummer|faktura|användarnamn|Jag har glömt mitt lösenord, hur återställer jag det?|Elin,Oskar,Karin",
    "nb": "Hei|Takk!|passord|wifi-passord|pålogging|e-post|server|ruter|kamera|kortnummer|API-nøkkel|reservekoder|tilgangskode|vær så god|nytt passord|en gang til, passordet|ikke del det med noen|ordrenummer|sporingsnummer|bestillingsreferanse|rabattkode|varenummer|nettverksnavn|fil|versjon|fly|registreringsnummer|saksnummer|faktura|brukernavn|Jeg har glemt passordet mitt, hvordan tilbakestiller jeg det?|Ingrid,Henrik,Sigrid",
    "da": "Hej|Tak!|adgangskode|wifi-kode|login|e-mail|server|router|kamera|kortnummer|API-nøgle|backupkoder|kode|værsgo|ny adgangskode|en gang til, koden|del den ikke med nogen|ordrenummer|sporingsnummer|bookingnummer|rabatkode|varenummer|netværksnavn|fil|version|fly|nummerplade|sagsnummer|faktura|brugernavn|Jeg har glemt min adgangskode, hvordan nulstiller jeg den?|Freja,Mads,Astrid",
    "fi": "Moi|Kiitos!|salasana|wifin salasana|tunnus|sähköposti|palvelin|reititin|kamera|kortin numero|API-avain|varakoodit|pääsykoodi|tässä|uusi salasana|vielä kerran, salasana|älä jaa sitä kenellekään|tilausnumero|seurantanumero|varausnumero|alennuskoodi|tuotenumero|verkon nimi|tiedosto|versio|lento|rekisterinumero|tikettinumero|lasku|käyttäjätunnus|Unohdin salasanani, miten sen voi nollata?|Aino,Mikko,Veera",
    "pl": "Cześć|Dzięki!|hasło|hasło do Wi-Fi|login|e-mail|serwer|router|kamera|numer karty|klucz API|kody zapasowe|kod dostępu|proszę|nowe hasło|powtarzam, hasło|nie udostępniaj go nikomu|numer zamówienia|numer przesyłki|numer rezerwacji|kod rabatowy|numer artykułu|nazwa sieci|plik|wersja|lot|numer rejestracyjny|numer zgłoszenia|faktura|nazwa użytkownika|Zapomniałem hasła, jak je zresetować?|Kasia,Tomek,Agnieszka",
    "cs": "Ahoj|Díky!|heslo|heslo k Wi-Fi|přihlašovací jméno|e-mail|server|router|kamera|číslo karty|API klíč|záložní kódy|přístupový kód|tady to je|nové heslo|ještě jednou, heslo|s nikým ho nesdílej|číslo objednávky|sledovací číslo|číslo rezervace|slevový kód|katalogové číslo|název sítě|soubor|verze|let|SPZ|číslo požadavku|faktura|uživatelské jméno|Zapomněl jsem heslo, jak ho obnovím?|Tereza,Jakub,Petra",
    "sk": "Ahoj|Vďaka!|heslo|heslo na Wi-Fi|prihlasovacie meno|e-mail|server|router|kamera|číslo karty|API kľúč|záložné kódy|prístupový kód|tu to máš|nové heslo|ešte raz, heslo|s nikým ho nezdieľaj|číslo objednávky|sledovacie číslo|číslo rezervácie|zľavový kód|kód produktu|názov siete|súbor|verzia|let|ŠPZ|číslo tiketu|faktúra|používateľské meno|Zabudol som heslo, ako ho obnovím?|Zuzana,Martin,Lucia",
    "hu": "Szia|Köszi!|jelszó|wifi jelszó|belépési név|e-mail|szerver|router|kamera|kártyaszám|API-kulcs|tartalékkódok|belépőkód|tessék|új jelszó|még egyszer, a jelszó|ne oszd meg senkivel|rendelésszám|követési szám|foglalási szám|kuponkód|cikkszám|hálózat neve|fájl|verzió|járat|rendszám|jegyszám|számla|felhasználónév|Elfelejtettem a jelszavam, hogyan állíthatom vissza?|Eszter,Bence,Réka",
    "ro": "Salut|Mersi!|parola|parola de la Wi-Fi|utilizator de logare|e-mail|server|router|cameră|numărul cardului|cheie API|coduri de rezervă|cod de acces|poftim|parola nouă|repet, parola|nu o da nimănui|numărul comenzii|numărul de urmărire|codul rezervării|cod de reducere|cod produs|numele rețelei|fișier|versiune|zbor|număr de înmatriculare|numărul tichetului|factura|nume de utilizator|Mi-am uitat parola, cum o resetez?|Ioana,Andrei,Elena",
    "hr": "Bok|Hvala!|lozinka|lozinka za Wi-Fi|prijava|e-mail|poslužitelj|ruter|kamera|broj kartice|API ključ|rezervni kodovi|pristupni kod|izvoli|nova lozinka|ponavljam, lozinka|ne dijeli je ni s kim|broj narudžbe|broj za praćenje|broj rezervacije|kod za popust|šifra artikla|naziv mreže|datoteka|verzija|let|registarska oznaka|broj prijave|račun|korisničko ime|Zaboravio sam lozinku, kako je mogu resetirati?|Ana,Luka,Marija",
    "tr": "Merhaba|Teşekkürler!|şifre|Wi-Fi şifresi|kullanıcı girişi|e-posta|sunucu|modem|kamera|kart numarası|API anahtarı|yedek kodlar|erişim kodu|buyur|yeni şifre|tekrar ediyorum, şifre|kimseyle paylaşma|sipariş numarası|kargo takip numarası|rezervasyon kodu|indirim kodu|ürün kodu|ağ adı|dosya|sürüm|uçuş|plaka|talep numarası|fatura|kullanıcı adı|Şifremi unuttum, nasıl sıfırlarım?|Elif,Mehmet,Zeynep",
    "ru": "Привет|Спасибо!|пароль|пароль от вайфая|логин|почта|сервер|роутер|камера|номер карты|API-ключ|резервные коды|код доступа|держи|новый пароль|ещё раз, пароль|никому не передавай|номер заказа|трек-номер|номер брони|промокод|артикул|имя сети|файл|версия|рейс|госномер|номер заявки|счёт|имя пользователя|Я забыл пароль, как его сбросить?|Алексей,Ольга,Дмитрий",
    "uk": "Привіт|Дякую!|пароль|пароль від вайфаю|логін|пошта|сервер|роутер|камера|номер картки|API-ключ|резервні коди|код доступу|тримай|новий пароль|ще раз, пароль|нікому не передавай|номер замовлення|номер відправлення|номер бронювання|промокод|артикул|назва мережі|файл|версія|рейс|номерний знак|номер звернення|рахунок|ім'я користувача|Я забув пароль, як його скинути?|Оксана,Андрій,Тарас",
    "bg": "Здрасти|Благодаря!|парола|парола за wifi|потребител за вход|имейл|сървър|рутер|камера|номер на картата|API ключ|резервни кодове|код за достъп|ето|нова парола|пак, паролата|не я давай на никого|номер на поръчката|номер за проследяване|номер на резервацията|код за отстъпка|код на продукта|име на мрежата|файл|версия|полет|регистрационен номер|номер на заявката|фактура|потребителско име|Забравих си паролата, как да я сменя?|Мария,Георги,Иван",
    "sr": "Здраво|Хвала!|лозинка|лозинка за вајфај|пријава|мејл|сервер|рутер|камера|број картице|API кључ|резервни кодови|приступни код|изволи|нова лозинка|поново, лозинка|не дели је ни са ким|број поруџбине|број пошиљке|број резервације|код за попуст|шифра артикла|назив мреже|фајл|верзија|лет|регистарске таблице|број пријаве|рачун|корисничко име|Заборавио сам лозинку, како да је ресетујем?|Милош,Јелена,Никола",
    "el": "Γεια|Ευχαριστώ!|κωδικός|κωδικός του Wi-Fi|όνομα σύνδεσης|email|διακομιστής|ρούτερ|κάμερα|αριθμός κάρτας|κλειδί API|εφεδρικοί κωδικοί|κωδικός πρόσβασης|ορίστε|νέος κωδικός|ξανά, ο κωδικός|μην τον δώσεις σε κανέναν|αριθμός παραγγελίας|αριθμός αποστολής|κωδικός κράτησης|κουπόνι έκπτωσης|κωδικός προϊόντος|όνομα δικτύου|αρχείο|έκδοση|πτήση|πινακίδα|αριθμός αιτήματος|τιμολόγιο|όνομα χρήστη|Ξέχασα τον κωδικό μου, πώς τον επαναφέρω;|Νίκος,Μαρία,Γιώργος",
    "ar": "مرحبا|شكراً!|كلمة المرور|كلمة سر الواي فاي|اسم الدخول|البريد الإلكتروني|الخادم|الراوتر|الكاميرا|رقم البطاقة|مفتاح API|رموز الاحتياط|رمز الدخول|تفضل|كلمة المرور الجديدة|مرة أخرى، كلمة المرور|لا تشاركها مع أحد|رقم الطلب|رقم التتبع|رقم الحجز|كود الخصم|رمز المنتج|اسم الشبكة|الملف|الإصدار|الرحلة|رقم اللوحة|رقم التذكرة|الفاتورة|اسم المستخدم|نسيت كلمة المرور، كيف أعيد تعيينها؟|أحمد,فاطمة,يوسف",
    "he": "היי|תודה!|סיסמה|סיסמת הוויי-פיי|שם כניסה|אימייל|שרת|ראוטר|מצלמה|מספר כרטיס|מפתח API|קודי גיבוי|קוד גישה|בבקשה|סיסמה חדשה|שוב, הסיסמה|אל תשתף אותה עם אף אחד|מספר הזמנה|מספר מעקב|קוד הזמנה|קוד קופון|מק״ט|שם הרשת|קובץ|גרסה|טיסה|מספר רישוי|מספר קריאה|חשבונית|שם משתמש|שכחתי את הסיסמה, איך מאפסים אותה?|נועה,איתי,יעל",
    "fa": "سلام|ممنون!|رمز عبور|رمز وای‌فای|نام ورود|ایمیل|سرور|مودم|دوربین|شماره کارت|کلید API|کدهای پشتیبان|کد دسترسی|بفرما|رمز جدید|دوباره، رمز|به کسی نده|شماره سفارش|کد رهگیری|کد رزرو|کد تخفیف|کد کالا|اسم شبکه|فایل|نسخه|پرواز|پلاک|شماره تیکت|فاکتور|نام کاربری|رمزم را فراموش کردم، چطور ریستش کنم؟|مریم,علی,سارا",
    "hi": "नमस्ते|धन्यवाद!|पासवर्ड|वाई-फाई पासवर्ड|लॉगिन|ईमेल|सर्वर|राउटर|कैमरा|कार्ड नंबर|API की|बैकअप कोड|एक्सेस कोड|ये लो|नया पासवर्ड|फिर से, पासवर्ड|किसी को मत बताना|ऑर्डर नंबर|ट्रैकिंग नंबर|बुकिंग नंबर|डिस्काउंट कोड|आइटम कोड|नेटवर्क का नाम|फ़ाइल|वर्ज़न|फ़्लाइट|गाड़ी का नंबर|टिकट नंबर|बिल|यूज़रनेम|मैं अपना पासवर्ड भूल गया, इसे रीसेट कैसे करूँ?|राहुल,प्रिया,अमित",
    "bn": "হাই|ধন্যবাদ!|পাসওয়ার্ড|ওয়াইফাই পাসওয়ার্ড|লগইন|ইমেইল|সার্ভার|রাউটার|ক্যামেরা|কার্ড নম্বর|API কী|ব্যাকআপ কোড|অ্যাক্সেস কোড|এই নাও|নতুন পাসওয়ার্ড|আবার বলছি, পাসওয়ার্ড|কাউকে দিও না|অর্ডার নম্বর|ট্র্যাকিং নম্বর|বুকিং নম্বর|ডিসকাউন্ট কোড|পণ্যের কোড|নেটওয়ার্কের নাম|ফাইল|ভার্সন|ফ্লাইট|গাড়ির নম্বর|টিকিট নম্বর|বিল|ইউজারনেম|আমি পাসওয়ার্ড ভুলে গেছি, কীভাবে রিসেট করব?|রাহাত,তানিয়া,সুমন",
    "ur": "السلام علیکم|شکریہ!|پاس ورڈ|وائی فائی کا پاس ورڈ|لاگ ان|ای میل|سرور|راؤٹر|کیمرہ|کارڈ نمبر|API کی|بیک اپ کوڈز|رسائی کوڈ|یہ لو|نیا پاس ورڈ|دوبارہ، پاس ورڈ|کسی کو مت بتانا|آرڈر نمبر|ٹریکنگ نمبر|بکنگ نمبر|ڈسکاؤنٹ کوڈ|آئٹم کوڈ|نیٹ ورک کا نام|فائل|ورژن|پرواز|گاڑی کا نمبر|ٹکٹ نمبر|بل|یوزر نیم|میں پاس ورڈ بھول گیا، اسے ری سیٹ کیسے کروں؟|عمران,عائشہ,بلال",
    "ta": "வணக்கம்|நன்றி!|கடவுச்சொல்|வைஃபை கடவுச்சொல்|லாகின்|மின்னஞ்சல்|சர்வர்|ரவுட்டர்|கேமரா|கார்டு எண்|API சாவி|காப்பு குறியீடுகள்|அணுகல் குறியீடு|இதோ|புதிய கடவுச்சொல்|மீண்டும், கடவுச்சொல்|யாரிடமும் சொல்லாதே|ஆர்டர் எண்|கண்காணிப்பு எண்|முன்பதிவு எண்|தள்ளுபடி குறியீடு|பொருள் குறியீடு|நெட்வொர்க் பெயர்|கோப்பு|பதிப்பு|விமானம்|வாகன எண்|டிக்கெட் எண்|பில்|பயனர் பெயர்|என் கடவுச்சொல்லை மறந்துவிட்டேன், எப்படி மீட்டமைப்பது?|கார்த்திக்,பிரியா,அருண்",
    "th": "สวัสดี|ขอบคุณครับ|รหัสผ่าน|รหัสไวไฟ|ชื่อล็อกอิน|อีเมล|เซิร์ฟเวอร์|เราเตอร์|กล้อง|เลขบัตร|คีย์ API|รหัสสำรอง|รหัสเข้าใช้|นี่เลย|รหัสผ่านใหม่|ย้ำอีกครั้ง รหัสผ่าน|อย่าบอกใครนะ|เลขที่คำสั่งซื้อ|เลขพัสดุ|รหัสการจอง|โค้ดส่วนลด|รหัสสินค้า|ชื่อเครือข่าย|ไฟล์|เวอร์ชัน|เที่ยวบิน|ทะเบียนรถ|เลขที่ตั๋ว|ใบแจ้งหนี้|ชื่อผู้ใช้|ลืมรหัสผ่าน จะรีเซ็ตยังไง|สมชาย,นภา,วิชัย",
    "zh": "你好|谢谢！|密码|Wi-Fi密码|登录账号|邮箱|服务器|路由器|摄像头|卡号|API密钥|备用验证码|访问码|给你|新密码|再说一遍，密码|别告诉别人|订单号|快递单号|预订编号|优惠码|商品编号|网络名称|文件|版本|航班|车牌|工单号|发票|用户名|我忘记密码了，怎么重置？|王伟,李娜,张敏",
    "ja": "こんにちは|ありがとう！|パスワード|Wi-Fiのパスワード|ログインID|メール|サーバー|ルーター|カメラ|カード番号|APIキー|バックアップコード|アクセスコード|どうぞ|新しいパスワード|もう一度、パスワード|誰にも教えないでね|注文番号|追跡番号|予約番号|クーポンコード|品番|ネットワーク名|ファイル|バージョン|便名|ナンバープレート|問い合わせ番号|請求書|ユーザー名|パスワードを忘れました。どうやってリセットできますか？|佐藤,健太,美咲",
    "ko": "안녕|고마워!|비밀번호|와이파이 비번|로그인 아이디|이메일|서버|공유기|카메라|카드 번호|API 키|백업 코드|출입 코드|여기|새 비밀번호|다시 말하지만, 비번|아무한테도 알려주지 마|주문번호|운송장 번호|예약 번호|할인 코드|상품 코드|네트워크 이름|파일|버전|항공편|차량 번호|문의 번호|청구서|사용자 이름|비밀번호를 잊어버렸어요. 어떻게 재설정하나요?|민준,서연,지훈",
    "vi": "Chào|Cảm ơn!|mật khẩu|mật khẩu wifi|tên đăng nhập|email|máy chủ|router|camera|số thẻ|khóa API|mã dự phòng|mã truy cập|đây nhé|mật khẩu mới|nhắc lại, mật khẩu|đừng đưa cho ai nhé|mã đơn hàng|mã vận đơn|mã đặt chỗ|mã giảm giá|mã sản phẩm|tên mạng|tệp|phiên bản|chuyến bay|biển số xe|số phiếu hỗ trợ|hóa đơn|tên người dùng|Mình quên mật khẩu, làm sao để đặt lại?|Minh,Lan,Hùng",
    "id": "Halo|Makasih!|kata sandi|password wifi|login|email|server|router|kamera|nomor kartu|kunci API|kode cadangan|kode akses|ini dia|kata sandi baru|sekali lagi, kata sandinya|jangan dikasih ke siapa-siapa|nomor pesanan|nomor resi|kode booking|kode diskon|kode barang|nama jaringan|file|versi|penerbangan|plat nomor|nomor tiket|tagihan|nama pengguna|Saya lupa kata sandi, bagaimana cara meresetnya?|Budi,Sari,Dewi",
    "ms": "Hai|Terima kasih!|kata laluan|kata laluan wifi|log masuk|e-mel|pelayan|penghala|kamera|nombor kad|kunci API|kod sandaran|kod akses|nah|kata laluan baharu|sekali lagi, kata laluan|jangan kongsi dengan sesiapa|nombor pesanan|nombor penjejakan|kod tempahan|kod diskaun|kod produk|nama rangkaian|fail|versi|penerbangan|nombor plat|nombor tiket|invois|nama pengguna|Saya terlupa kata laluan, macam mana nak set semula?|Aisyah,Hafiz,Nurul",
    "tl": "Hi|Salamat!|password|password ng wifi|login|email|server|router|camera|numero ng card|API key|backup codes|access code|heto na|bagong password|uulitin ko, ang password|huwag mong ibigay kahit kanino|order number|tracking number|booking reference|discount code|item code|pangalan ng network|file|bersyon|flight|plaka|ticket number|invoice|username|Nakalimutan ko ang password ko, paano ko ito ire-reset?|Juan,Maria,Jose",
    "sw": "Habari|Asante!|nenosiri|nenosiri la Wi-Fi|jina la kuingia|barua pepe|seva|ruta|kamera|namba ya kadi|ufunguo wa API|misimbo ya akiba|msimbo wa kuingia|haya hapa|nenosiri jipya|tena, nenosiri|usimpe mtu yeyote|namba ya oda|namba ya ufuatiliaji|namba ya uhifadhi|msimbo wa punguzo|namba ya bidhaa|jina la mtandao|faili|toleo|safari ya ndege|namba ya gari|namba ya tiketi|ankara|jina la mtumiaji|Nimesahau nenosiri langu, nitaliwekaje upya?|Amani,Neema,Baraka",
    "ka": "გამარჯობა|მადლობა!|პაროლი|Wi-Fi-ის პაროლი|ლოგინი|ელფოსტა|სერვერი|როუტერი|კამერა|ბარათის ნომერი|API გასაღები|სარეზერვო კოდები|წვდომის კოდი|აჰა|ახალი პაროლი|კიდევ ერთხელ, პაროლი|არავის გაუზიარო|შეკვეთის ნომერი|თრექინგ ნომერი|ჯავშნის კოდი|ფასდაკლების კოდი|პროდუქტის კოდი|ქსელის სახელი|ფაილი|ვერსია|რეისი|სახელმწიფო ნომერი|მოთხოვნის ნომერი|ინვოისი|მომხმარებლის სახელი|პაროლი დამავიწყდა, როგორ აღვადგინო?|გიორგი,ნინო,ლევანი",
    "hy": "Բարև|Շնորհակալություն!|գաղտնաբառ|Wi-Fi-ի գաղտնաբառը|մուտքանուն|էլ. փոստ|սերվեր|ռոուտեր|տեսախցիկ|քարտի համար|API բանալի|պահուստային կոդեր|մուտքի կոդ|ահա|նոր գաղտնաբառ|նորից, գաղտնաբառը|ոչ մեկին մի տուր|պատվերի համար|հետագծման համար|ամրագրման կոդ|զեղչի կոդ|ապրանքի կոդ|ցանցի անունը|ֆայլ|տարբերակ|չվերթ|պետհամարանիշ|հայտի համար|հաշիվ-ապրանքագիր|օգտանուն|Մոռացել եմ գաղտնաբառս, ինչպե՞ս վերականգնեմ|Արամ,Անի,Տիգրան",
    "am": "ሰላም|አመሰግናለሁ!|የይለፍ ቃል|የዋይፋይ የይለፍ ቃል|የመግቢያ ስም|ኢሜይል|ሰርቨር|ራውተር|ካሜራ|የካርድ ቁጥር|የAPI ቁልፍ|የመጠባበቂያ ኮዶች|የመግቢያ ኮድ|ይኸው|አዲስ የይለፍ ቃል|እንደገና፣ የይለፍ ቃሉ|ለማንም አትስጥ|የትዕዛዝ ቁጥር|የመከታተያ ቁጥር|የቦታ ማስያዣ ቁጥር|የቅናሽ ኮድ|የእቃ ቁጥር|የአውታረ መረብ ስም|ፋይል|ስሪት|በረራ|የሰሌዳ ቁጥር|የቲኬት ቁጥር|ደረሰኝ|የተጠቃሚ ስም|የይለፍ ቃሌን ረሳሁት፣ እንዴት ዳግም ማስጀመር እችላለሁ?|አበበ,ሰላማዊት,ዳዊት",
    "lt": "Labas|Ačiū!|slaptažodis|Wi-Fi slaptažodis|prisijungimo vardas|el. paštas|serveris|maršrutizatorius|kamera|kortelės numeris|API raktas|atsarginiai kodai|prieigos kodas|prašom|naujas slaptažodis|dar kartą, slaptažodis|niekam neduok|užsakymo numeris|siuntos numeris|rezervacijos kodas|nuolaidos kodas|prekės kodas|tinklo pavadinimas|failas|versija|skrydis|valstybinis numeris|užklausos numeris|sąskaita|vartotojo vardas|Pamiršau slaptažodį, kaip jį atkurti?|Tomas,Rūta,Jonas",
    "lv": "Sveiki|Paldies!|parole|Wi-Fi parole|pieslēgšanās vārds|e-pasts|serveris|rūteris|kamera|kartes numurs|API atslēga|rezerves kodi|piekļuves kods|lūdzu|jaunā parole|vēlreiz, parole|nevienam nedod|pasūtījuma numurs|sūtījuma numurs|rezervācijas kods|atlaides kods|preces kods|tīkla nosaukums|fails|versija|reiss|numura zīme|pieteikuma numurs|rēķins|lietotājvārds|Aizmirsu paroli, kā to atiestatīt?|Jānis,Līga,Andris",
    "et": "Tere|Aitäh!|parool|wifi parool|kasutajatunnus|e-post|server|ruuter|kaamera|kaardi number|API võti|varukoodid|pääsukood|palun|uus parool|veel kord, parool|ära jaga seda kellegagi|tellimuse number|jälgimisnumber|broneeringu kood|sooduskood|tootekood|võrgu nimi|fail|versioon|lend|numbrimärk|pöördumise number|arve|kasutajanimi|Unustasin parooli, kuidas seda lähtestada?|Kristjan,Mari,Karl",
}
PB = {}
for _lang, _raw in PB_RAW.items():
    _f = _raw.split("|")
    assert len(_f) == len(KEYS), (_lang, len(_f))
    PB[_lang] = dict(zip(KEYS, _f))
    PB[_lang]["names"] = _f[-1].split(",")
    assert len(PB[_lang]["names"]) == 3, _lang
LANGS = list(PB)

QUOTES = {
    "de": [("„", "“"), ("»", "«")],
    "fr": [("« ", " »"), ("‹", "›")],
    "ru": [("«", "»"), ("„", "“")],
    "uk": [("«", "»")],
    "pl": [("„", "”")],
    "cs": [("„", "“")],
    "sk": [("„", "“")],
    "hu": [("„", "”")],
    "ro": [("„", "”")],
    "hr": [("„", "“")],
    "bg": [("„", "“")],
    "sr": [("„", "“")],
    "el": [("«", "»")],
    "ar": [("«", "»"), ('"', '"')],
    "fa": [("«", "»")],
    "he": [("„", "”"), ('"', '"')],
    "ja": [("「", "」"), ("『", "』")],
    "zh": [("“", "”"), ("「", "」")],
    "ko": [("“", "”"), ("「", "」")],
    "hy": [("«", "»")],
    "am": [("‹", "›"), ("«", "»")],
    "ka": [("„", "“")],
    "lt": [("„", "“")],
    "lv": [("«", "»"), ("„", "”")],
    "et": [("„", "“")],
    "sv": [("”", "”")],
    "fi": [("”", "”")],
    "da": [("»", "«")],
    "nb": [("«", "»")],
    "it": [("«", "»"), ('"', '"')],
    "es": [("«", "»"), ('"', '"')],
    "pt": [("“", "”"), ('"', '"')],
    "nl": [("‘", "’"), ('"', '"')],
    "tr": [("“", "”"), ('"', '"')],
    "vi": [("“", "”")],
    "th": [("“", "”"), ('"', '"')],
    "en": [("“", "”"), ('"', '"'), ("'", "'")],
}
SEPS = [": ", ": ", ": ", " - ", " — ", " → ", " = ", ":\n", " ", " ➜ ", " => ", " – ", ":  "]


# ---------------------------------------------------------------- helpers
def rs(n, alphabet):
    return "".join(rng.choice(alphabet) for _ in range(n))


def rs_ends_alnum(n, alphabet):
    while True:
        s = rs(n, alphabet)
        if s[0].isalnum() and s[-1].isalnum():
            return s


def classes(s):
    return sum([any(c.islower() for c in s), any(c.isupper() for c in s), any(c.isdigit() for c in s)])


def has_letter_digit(s):
    return any(c.isalpha() for c in s) and any(c.isdigit() for c in s)


def b64url(b):
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def rbytes(n):
    return bytes(rng.randrange(256) for _ in range(n))


def luhn_ok(d):
    tot = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        tot += x
    return tot % 10 == 0


def luhn_digit(body):
    for c in "0123456789":
        if luhn_ok(body + c):
            return c


def card_brand(d):
    n = len(d)
    p2, p3, p4 = int(d[:2]), int(d[:3]), int(d[:4])
    if d[0] == "4" and n in (13, 16, 19):
        return "visa"
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return "mastercard"
    if p2 in (34, 37) and n == 15:
        return "amex"
    if (d.startswith("6011") or 644 <= p3 <= 649 or p2 == 65) and 16 <= n <= 19:
        return "discover"
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return "jcb"
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return "diners"
    if p2 == 62 and 16 <= n <= 19:
        return "unionpay"
    if 2200 <= p4 <= 2204 and 16 <= n <= 19:
        return "mir"
    if d[:4] in ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763") and 12 <= n <= 19:
        return "maestro"
    return None


DOC_NETS = [ipaddress.ip_network(x) for x in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]


def ip_public(s):
    a = ipaddress.ip_address(s)
    return a.is_global and not a.is_multicast and not any(a in n for n in DOC_NETS if n.version == a.version)


RESERVED_TLDS = ("test", "invalid", "localhost", "example")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")


def domain_reserved(dom):
    dom = dom.lower().rstrip(".")
    if dom.rsplit(".", 1)[-1] in RESERVED_TLDS:
        return True
    return any(dom == r or dom.endswith("." + r) for r in RESERVED_DOMAINS)


# ---------------------------------------------------------------- labelled value generators
CONS = "bcdfghjklmnprstvwz"
VOW = "aeiou"
INNER_SYM = "#%&*+=_-$!?"
YEARISH = re.compile(r"(19|20)\d\d$")
WORDS = (
    "amber anchor basil cactus copper dune ember falcon garnet harbor ivory juniper kettle lantern "
    "maple nectar orbit pepper quartz raven saffron tundra umber velvet walnut zephyr cobalt meadow "
    "pebble thistle violet glacier lobster mosaic nimbus oyster prism ripple sonnet timber willow "
    "badger crimson drift fable grotto hazel island jasper kayak lilac mango noodle olive puffin"
).split()


def syl():
    return rng.choice(CONS) + rng.choice(VOW) + (rng.choice(CONS) if rng.random() < 0.5 else "")


def ok_password(s):
    return (
        len(s) >= 8
        and s[0].isalnum()
        and s[-1].isalnum()
        and classes(s) >= 2
        and "@" not in s
        and not YEARISH.search(s)
        and "example" not in s.lower()
        and "xxxx" not in s.lower()
        and "your_" not in s.lower()
        and not s.isdigit()
    )


def g_password(ctx):
    while True:
        k = rng.randrange(7)
        if k == 0:
            s = rs(rng.randint(10, 16), ALNUM)
        elif k == 1:
            parts = [syl().capitalize(), syl(), rng.choice(INNER_SYM), str(rng.randint(10, 999)), syl()]
            if rng.random() < 0.5:
                parts[-1] = parts[-1].upper()
            s = "".join(parts)
        elif k == 2:
            n = rng.randint(12, 18)
            ch = [rng.choice(ALNUM) for _ in range(n)]
            for _ in range(rng.randint(1, 3)):
                ch[rng.randint(1, n - 2)] = rng.choice(INNER_SYM)
            s = "".join(ch)
        elif k == 3:
            s = rng.choice("-_.").join(rs(4, ALNUM) for _ in range(3))
        elif k == 4:
            w = syl() + syl() + syl()
            w = "".join(c.upper() if rng.random() < 0.3 else c for c in w)
            if rng.random() < 0.5:
                w = w.replace("o", "0", 1).replace("a", "4", 1)
            s = w + rng.choice(INNER_SYM) + str(rng.randint(2, 98)) + rng.choice(LOW + UP)
        elif k == 5:
            s = rs(rng.randint(18, 26), ALNUM + "#%&*+=-_")
        else:
            s = rs(rng.randint(8, 10), LOW + DIG)
        if ok_password(s):
            return s


def g_passphrase(ctx):
    while True:
        ws = rng.sample(WORDS, rng.randint(3, 4))
        if rng.random() < 0.5:
            i = rng.randrange(len(ws))
            ws[i] = ws[i].capitalize()
        num = str(rng.randint(2, 999))
        ws.insert(rng.randint(1, len(ws)), num)
        s = rng.choice("-_.+").join(ws)
        if ok_password(s):
            return s


def g_wifi(ctx):
    while True:
        k = rng.randrange(6)
        if k == 0:
            s = rs(rng.randint(12, 20), ALNUM)
        elif k == 1:
            s = "-".join(rs(4, LOW + DIG) for _ in range(4))
        elif k == 2:
            s = rs(64, HEX)
        elif k == 3:
            s = g_passphrase(ctx)
        elif k == 4:
            s = g_password(ctx).replace("#", "K").replace("?", "q").replace("!", "x").replace("$", "S")
        else:
            s = rs(rng.randint(16, 20), UP + DIG)
        if ok_password(s) and not set(s) & set(';:,"\\'):
            return s


def g_pin(ctx):
    while True:
        s = rs(rng.randint(6, 8), rng.choice([UP + DIG, LOW + DIG, ALNUM]))
        if has_letter_digit(s):
            return s


def g_backup(ctx):
    st = ctx.setdefault("bc_style", rng.randrange(4))
    while True:
        if st == 0:
            s = rs(4, LOW + DIG) + "-" + rs(4, LOW + DIG)
        elif st == 1:
            s = rs(5, HEX) + "-" + rs(5, HEX)
        elif st == 2:
            s = rs(8, UP + DIG)
        else:
            s = rs(10, LOW + DIG)
        if has_letter_digit(s):
            return s


def tok_github():
    if rng.random() < 0.2:
        return "github_pat_" + rs(22, ALNUM) + "_" + rs(59, ALNUM)
    return rng.choice(["ghp_", "ghp_", "gho_", "ghs_", "ghu_"]) + rs(36, ALNUM)


def tok_discord():
    snow = str(rng.randint(10**17, 2 * 10**18))
    return (
        b64url(snow.encode()) + "." + rs(6, B64URL.replace("-", "").replace("_", "")) + "." + rs_ends_alnum(38, B64URL)
    )


def tok_jwt():
    hdr = b64url(
        json.dumps({"alg": rng.choice(["HS256", "RS256", "ES256"]), "typ": "JWT"}, separators=(",", ":")).encode()
    )
    iat = rng.randint(1700000000, 1760000000)
    pl = {"sub": str(rng.randint(10000, 99999999)), "iat": iat, "exp": iat + rng.choice([900, 3600, 86400])}
    if rng.random() < 0.5:
        pl["role"] = rng.choice(["user", "admin", "support", "editor"])
    if rng.random() < 0.4:
        pl["sid"] = rs(16, LOW + DIG)
    return (
        hdr
        + "."
        + b64url(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + b64url(rbytes(rng.choice([32, 32, 64])))
    )


def wrap(s, n):
    return "\n".join(s[i : i + n] for i in range(0, len(s), n))


def tok_pem():
    k = rng.randrange(4)
    if k == 0:
        body = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW" + rs(300, B64)
        return "-----BEGIN OPENSSH PRIVATE KEY-----\n" + wrap(body, 70) + "\n-----END OPENSSH PRIVATE KEY-----"
    if k == 1:
        body = "MHcCAQEEI" + rs(151, B64)
        return "-----BEGIN EC PRIVATE KEY-----\n" + wrap(body, 64) + "\n-----END EC PRIVATE KEY-----"
    if k == 2:
        body = "MC4CAQAwBQYDK2VwBCIEI" + rs(27, B64)
        return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----"
    body = "MIIEpAIBAAKCAQEA" + rs(rng.choice([620, 880]), B64)
    return "-----BEGIN RSA PRIVATE KEY-----\n" + wrap(body, 64) + "\n-----END RSA PRIVATE KEY-----"


TOKENS = {
    "github": tok_github,
    "gitlab": lambda: "glpat-" + rs_ends_alnum(20, ALNUM + "-_"),
    "slack": lambda: rng.choice(
        [
            lambda: "xoxb-" + rs(11, DIG) + "-" + rs(13, DIG) + "-" + rs(24, ALNUM),
            lambda: "xoxp-" + rs(11, DIG) + "-" + rs(11, DIG) + "-" + rs(13, DIG) + "-" + rs(32, HEX),
        ]
    )(),
    "stripe_sk": lambda: (
        rng.choice(["sk_live_", "sk_live_", "sk_test_", "rk_live_", "rk_test_"]) + rs(rng.choice([24, 99]), ALNUM)
    ),
    "whsec": lambda: "whsec_" + rs(32, ALNUM),
    "aws_id": lambda: rng.choice(["AKIA", "AKIA", "ASIA"]) + rs(16, UP + "234567"),
    "aws_secret": lambda: rs_ends_alnum(40, ALNUM + "/+"),
    "google": lambda: "AIza" + rs_ends_alnum(35, B64URL),
    "openai": lambda: "sk-proj-" + rs(74, B64URL) + "T3BlbkFJ" + rs_ends_alnum(74, B64URL),
    "anthropic": lambda: "sk-ant-api03-" + rs(93, B64URL) + "AA",
    "twilio_auth": lambda: rs(32, HEX),
    "twilio_key": lambda: "SK" + rs(32, HEX),
    "sendgrid": lambda: "SG." + rs(22, B64URL) + "." + rs_ends_alnum(43, B64URL),
    "mailgun": lambda: "key-" + rs(32, HEX),
    "npm": lambda: "npm_" + rs(36, ALNUM),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs_ends_alnum(rng.randint(60, 90), B64URL),
    "telegram": lambda: str(rng.randint(10**8, 8 * 10**9)) + ":AA" + rs_ends_alnum(33, B64URL),
    "discord": tok_discord,
    "shopify": lambda: rng.choice(["shpat_", "shpat_", "shpss_", "shpca_"]) + rs(32, HEX),
    "hf": lambda: "hf_" + rs(34, LOW + UP),
    "do": lambda: "dop_v1_" + rs(64, HEX),
    "notion": lambda: "secret_" + rs(43, ALNUM),
    "linear": lambda: "lin_api_" + rs(40, ALNUM),
    "postman": lambda: "PMAK-" + rs(24, HEX) + "-" + rs(34, HEX),
    "square": lambda: "EAAA" + rs_ends_alnum(60, B64URL),
    "mapbox_sk": lambda: "sk.eyJ1Ijoi" + rs(40, ALNUM) + "." + rs_ends_alnum(22, B64URL),
}
ANY_TOKEN = [
    "github",
    "gitlab",
    "slack",
    "stripe_sk",
    "google",
    "openai",
    "anthropic",
    "sendgrid",
    "npm",
    "telegram",
    "hf",
    "do",
    "notion",
    "linear",
    "square",
    "shopify",
    "mailgun",
    "postman",
]


def g_tok(ctx, arg):
    name = arg or rng.choice(ANY_TOKEN)
    while True:
        s = TOKENS[name]()
        low = s.lower()
        if "example" not in low and "xxxx" not in low and "your_" not in low:
            return s


def g_generic(ctx):
    return rng.choice(
        [lambda: rs(32, ALNUM), lambda: rs(40, ALNUM), lambda: rs(48, HEX), lambda: rs_ends_alnum(44, B64URL)]
    )()


def g_hex(ctx):
    return rs(rng.choice([32, 40, 64]), HEX)


def g_sess(ctx):
    return rng.choice(
        [
            lambda: rs(32, LOW + DIG),
            lambda: rs_ends_alnum(43, B64URL),
            lambda: "s%3A" + rs(32, ALNUM) + "." + rs(43, ALNUM),
        ]
    )()


def g_b64auth(ctx):
    user = rng.choice(["api", "admin", "svc-backup", "deploy", "billing", "ops"])
    return base64.b64encode((user + ":" + g_password(ctx)).encode()).decode()


def g_k8s(ctx):
    return base64.b64encode(g_password(ctx).encode()).decode()


def g_appkey(ctx):
    return base64.b64encode(rbytes(32)).decode()


FIRST = (
    "anna ivan mehmet lucia kenji minh sofia omar priya lars nadia tomas yuki ahmed elena jonas maria "
    "chen arash noa giorgi aram abebe rahul siti juan amani bence oskar ines dmitri olga fatima "
    "yusuf hana jakub zeynep camille marta tarek lena pieter freja mikko aino rui bea kofi"
).split()
LAST = (
    "petrov mueller rossi sato nguyen kowalski silva novak horvat yilmaz dubois garcia jensen "
    "virtanen popescu ivanova tanaka kim park hossain sharma cohen haddad rahimi beridze "
    "grigoryan tesfaye mwangi santos lindqvist bakker kovacs oliveira moreau schmidt"
).split()
PROVIDERS = (
    "gmail.com outlook.com hotmail.com yahoo.com icloud.com proton.me gmx.de web.de t-online.de "
    "orange.fr free.fr libero.it mail.ru yandex.ru ukr.net seznam.cz wp.pl abv.bg naver.com "
    "daum.net qq.com 163.com yahoo.co.jp rediffmail.com gmx.at bluewin.ch o2.pl inbox.lv"
).split()
LANG_TLD = {
    "de": ["de", "at", "ch"],
    "fr": ["fr", "be"],
    "es": ["es", "com.mx"],
    "it": ["it"],
    "pt": ["pt", "com.br"],
    "nl": ["nl"],
    "sv": ["se"],
    "nb": ["no"],
    "da": ["dk"],
    "fi": ["fi"],
    "pl": ["pl"],
    "cs": ["cz"],
    "sk": ["sk"],
    "hu": ["hu"],
    "ro": ["ro"],
    "hr": ["hr"],
    "tr": ["com.tr"],
    "ru": ["ru"],
    "uk": ["ua", "com.ua"],
    "bg": ["bg"],
    "sr": ["rs"],
    "el": ["gr"],
    "ar": ["ae", "com.eg", "sa"],
    "he": ["co.il"],
    "fa": ["ir"],
    "hi": ["in", "co.in"],
    "bn": ["com.bd"],
    "ur": ["pk"],
    "ta": ["in"],
    "th": ["co.th"],
    "zh": ["cn", "com.cn"],
    "ja": ["jp", "co.jp"],
    "ko": ["co.kr", "kr"],
    "vi": ["vn", "com.vn"],
    "id": ["co.id"],
    "ms": ["my", "com.my"],
    "tl": ["ph"],
    "sw": ["co.ke", "co.tz"],
    "ka": ["ge"],
    "hy": ["am"],
    "am": ["et"],
    "lt": ["lt"],
    "lv": ["lv"],
    "et": ["ee"],
    "en": ["com", "co.uk", "io", "net"],
}
BIZ = [
    "tech",
    "soft",
    "logistik",
    "media",
    "group",
    "bau",
    "net",
    "shop",
    "lab",
    "systems",
    "travel",
    "design",
    "cloud",
]


def company_domain(lang):
    base = syl() + syl() + rng.choice(["", "", "-"]) + rng.choice(BIZ)
    return base + "." + rng.choice(LANG_TLD.get(lang, ["com"]) + ["com"])


def g_email(ctx):
    f, l = rng.choice(FIRST), rng.choice(LAST)
    k = rng.randrange(7)
    if k == 0:
        local = f + "." + l
    elif k == 1:
        local = f + l[0] + str(rng.randint(1, 99))
    elif k == 2:
        local = f[0] + "." + l
    elif k == 3:
        local = f + "_" + str(rng.randint(70, 2009))
    elif k == 4:
        local = l + "." + f[0] + str(rng.randint(1, 9))
    elif k == 5:
        local = rng.choice(["info", "kontakt", "support", "office", "billing", "admin", "sales", "hr", "it", "booking"])
    else:
        local = f + "-" + l
    if k == 5 or rng.random() < 0.4:
        dom = company_domain(ctx["lang"])
    else:
        dom = rng.choice(PROVIDERS)
    return local + "@" + dom


def g_ip4(ctx):
    while True:
        a = rng.randint(1, 223)
        s = "%d.%d.%d.%d" % (a, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))
        if ip_public(s):
            return s


def g_ip6(ctx):
    while True:
        first = rng.choice(
            ["2a0%x" % rng.randrange(16), "260%x" % rng.randrange(16), "240%x" % rng.randrange(16), "2c0f", "2a10"]
        )
        n = rng.randint(2, 4)
        head = [first] + ["%x" % rng.randrange(1, 65536) for _ in range(n - 1)]
        if rng.random() < 0.3:
            s = ":".join(head + ["%x" % rng.randrange(65536) for _ in range(8 - n)])
        else:
            s = ":".join(head) + "::" + ":".join("%x" % rng.randrange(1, 65536) for _ in range(rng.randint(1, 2)))
        try:
            ipaddress.ip_address(s)
        except ValueError:
            continue
        if ip_public(s):
            return s


def g_ip(ctx):
    return g_ip6(ctx) if rng.random() < 0.2 else g_ip4(ctx)


CARD_SPECS = [
    ("visa", ["4"], 16),
    ("visa", ["4"], 16),
    ("visa", ["4"], 13),
    ("mastercard", ["51", "52", "53", "54", "55"], 16),
    ("mastercard", ["2221", "2300", "2500", "2720", "2645"], 16),
    ("amex", ["34", "37"], 15),
    ("discover", ["6011", "65", "644"], 16),
    ("jcb", ["3528", "3530", "3566", "3589"], 16),
    ("diners", ["36", "300", "38"], 14),
    ("unionpay", ["62"], 16),
    ("mir", ["2200", "2202", "2204"], 16),
    ("visa", ["4"], 16),
    ("mastercard", ["51", "55"], 16),
]


def raw_card():
    brand, pfx, n = rng.choice(CARD_SPECS)
    p = rng.choice(pfx)
    body = p + rs(n - 1 - len(p), DIG)
    return body + luhn_digit(body)


def fmt_card(d):
    k = rng.randrange(4)
    if k == 0 or len(d) == 13:
        return d
    sep = " " if k in (1, 3) else "-"
    if len(d) == 15:
        g = [d[:4], d[4:10], d[10:]]
    elif len(d) == 14:
        g = [d[:4], d[4:10], d[10:]]
    else:
        g = [d[i : i + 4] for i in range(0, len(d), 4)]
    return sep.join(g)


def g_card(ctx):
    return fmt_card(raw_card())


GENS = {
    "PW": (g_password, "SECRET"),
    "PP": (g_passphrase, "SECRET"),
    "WIFI": (g_wifi, "SECRET"),
    "PIN": (g_pin, "SECRET"),
    "BC": (g_backup, "SECRET"),
    "TOK": (None, "SECRET"),
    "JWT": (lambda c: tok_jwt(), "SECRET"),
    "PKEY": (lambda c: tok_pem(), "SECRET"),
    "B64AUTH": (g_b64auth, "SECRET"),
    "K8S": (g_k8s, "SECRET"),
    "APPKEY": (g_appkey, "SECRET"),
    "GEN": (g_generic, "SECRET"),
    "HEX": (g_hex, "SECRET"),
    "SESS": (g_sess, "SECRET"),
    "EMAIL": (g_email, "EMAIL_ADDRESS"),
    "IP4": (g_ip4, "IP_ADDRESS"),
    "IP6": (g_ip6, "IP_ADDRESS"),
    "IP": (g_ip, "IP_ADDRESS"),
    "CARD": (g_card, "CREDIT_CARD"),
}
PASSWORD_LIKE = {"PW", "PP", "WIFI", "PIN", "BC"}

# ---------------------------------------------------------------- unlabelled fillers
SSIDS = [
    "Vodafone-{H4}",
    "FRITZ!Box 7590 {U2}",
    "TP-Link_{H4}",
    "TP-Link_5G_{H4}",
    "Keenetic-{D4}",
    "Casa_{W}",
    "MEO-{H4}",
    "Livebox-{H4}",
    "HUAWEI-{H4}",
    "Telekom-{U2}{D2}",
    "ASUS_{H2}_5G",
    "Xiaomi_{H4}",
    "{W}-Guest",
    "iPhone de {W}",
    "Dom_{D2}",
    "Office-{U2}",
    "ZTE_{H4}",
    "NETGEAR{D2}",
    "Sky{U4}",
    "BELL{D3}",
]


def fill_ssid():
    t = rng.choice(SSIDS)
    return (
        t.replace("{H4}", rs(4, "0123456789ABCDEF"))
        .replace("{H2}", rs(2, "0123456789ABCDEF"))
        .replace("{U2}", rs(2, UP))
        .replace("{U4}", rs(4, UP))
        .replace("{D4}", rs(4, DIG))
        .replace("{D3}", rs(3, DIG))
        .replace("{D2}", rs(2, DIG))
        .replace("{W}", rng.choice(LAST).capitalize())
    )


def fill_user():
    f, l = rng.choice(FIRST), rng.choice(LAST)
    return rng.choice(
        [
            f + "_" + l,
            f + "." + l[:1],
            l + str(rng.randint(1, 99)),
            f + str(rng.randint(100, 999)),
            "dj_" + rng.choice(WORDS),
            f[0] + l,
            rng.choice(WORDS) + "_" + rng.choice(WORDS),
            f.capitalize() + l.capitalize(),
        ]
    )


def fill_priv():
    return rng.choice(
        [
            lambda: "192.168.%d.%d" % (rng.choice([0, 1, 1, 2, 8, 10, 31, 100, 178]), rng.randint(1, 254)),
            lambda: "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)),
            lambda: "172.%d.%d.%d" % (rng.randint(16, 31), rng.randint(0, 255), rng.randint(1, 254)),
        ]
    )()


def fill_nonpub():
    return rng.choice(
        [
            fill_priv,
            fill_priv,
            lambda: "127.0.0.1",
            lambda: "127.0.1.1",
            lambda: "169.254.%d.%d" % (rng.randint(1, 254), rng.randint(1, 254)),
            lambda: "100.%d.%d.%d" % (rng.randint(64, 127), rng.randint(0, 255), rng.randint(1, 254)),
        ]
    )()


def fill_priv6():
    return rng.choice(
        [
            lambda: "fe80::%x:%x:%x:%x" % tuple(rng.randrange(65536) for _ in range(4)),
            lambda: (
                "fd%02x:%x:%x::%x"
                % (rng.randrange(256), rng.randrange(65536), rng.randrange(65536), rng.randrange(1, 65536))
            ),
            lambda: "::1",
        ]
    )()


def fill_docip():
    return rng.choice(["192.0.2.", "198.51.100.", "203.0.113."]) + str(rng.randint(1, 254))


def fill_docip6():
    return "2001:db8:%x::%x" % (rng.randrange(65536), rng.randrange(1, 65536))


def fill_order():
    return rng.choice(
        [
            lambda: "#" + rs(7, DIG),
            lambda: "ORD-" + rs(6, DIG),
            lambda: rs(3, DIG) + "-" + rs(7, DIG) + "-" + rs(7, DIG),
            lambda: rs(2, UP) + rs(8, DIG),
            lambda: rs(10, DIG),
            lambda: "№" + rs(6, DIG),
            lambda: "A" + rs(4, DIG) + "-" + rs(4, DIG),
        ]
    )()


def fill_track():
    return rng.choice(
        [
            lambda: "1Z" + rs(6, UP + DIG) + rs(10, DIG),
            lambda: rs(2, UP) + rs(9, DIG) + rng.choice(["CN", "DE", "RU", "UA", "GB", "JP"]),
            lambda: "JJD" + rs(18, DIG),
            lambda: rs(12, DIG),
            lambda: "LP" + rs(14, DIG),
            lambda: rs(4, DIG) + " " + rs(4, DIG) + " " + rs(4, DIG),
        ]
    )()


def fill_pnr():
    while True:
        s = rs(6, UP + DIG)
        if has_letter_digit(s):
            return s


def fill_coupon():
    return rng.choice(
        [
            lambda: rng.choice(WORDS).upper() + str(rng.choice([5, 10, 15, 20, 25, 30])),
            lambda: "WELCOME-" + rs(4, UP + DIG),
            lambda: rs(3, UP) + str(rng.randint(10, 99)) + rs(2, UP),
            lambda: "BF" + rs(2, DIG) + rs(3, UP),
            lambda: rng.choice(["SALE", "VIP", "NEW", "FREESHIP"]) + rs(3, DIG),
        ]
    )()


def fill_sku():
    return rng.choice(
        [
            lambda: "SKU-" + rs(5, DIG) + "-" + rng.choice(["BLK", "WHT", "RED", "XL", "M"]),
            lambda: rs(3, UP + DIG) + "-" + rs(3, DIG) + "-" + rs(2, DIG),
            lambda: rs(2, UP) + "-" + rs(4, DIG) + "/" + rng.choice(["S", "M", "L", "XL"]),
            lambda: "ART." + rs(6, DIG),
            lambda: rs(1, UP) + rs(7, DIG),
        ]
    )()


def fill_file():
    return rng.choice(
        [
            lambda: "report_Q%d_final_v%d.xlsx" % (rng.randint(1, 4), rng.randint(2, 9)),
            lambda: "IMG_2024%02d%02d_%06d.jpg" % (rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 235959)),
            lambda: "backup-%s.tar.gz" % rs(8, HEX),
            lambda: "contract_%s.pdf" % rs(5, DIG),
            lambda: rng.choice(WORDS) + "_" + rng.choice(WORDS) + ".docx",
            lambda: "scan%04d.pdf" % rng.randint(1, 9999),
            lambda: "setup-%d.%d.%d-x64.msi" % (rng.randint(1, 9), rng.randint(0, 30), rng.randint(0, 9)),
            lambda: "VID_%s.mp4" % rs(8, DIG),
        ]
    )()


def fill_ver():
    return rng.choice(
        [
            lambda: "v%d.%d.%d" % (rng.randint(0, 9), rng.randint(0, 30), rng.randint(0, 20)),
            lambda: "%d.%d.%d" % (rng.randint(1, 20), rng.randint(0, 9), rng.randint(0, 99)),
            lambda: "%d.%d.%d-rc.%d" % (rng.randint(0, 5), rng.randint(0, 9), rng.randint(0, 9), rng.randint(1, 4)),
            lambda: "build %d%s" % (rng.randint(19, 24), rng.choice(["H1", "H2"])),
            lambda: "%d.%d.0-%d-generic" % (rng.randint(4, 6), rng.randint(0, 19), rng.randint(10, 120)),
            lambda: "V%d.%02d" % (rng.randint(1, 9), rng.randint(0, 99)),
        ]
    )()


def fill_flight():
    return (
        rng.choice(
            [
                "LH",
                "SU",
                "TK",
                "EK",
                "QR",
                "AF",
                "KL",
                "LO",
                "OS",
                "FR",
                "U2",
                "W6",
                "JL",
                "NH",
                "KE",
                "OZ",
                "CA",
                "MU",
                "VN",
                "TG",
                "SQ",
                "AI",
                "ET",
                "KQ",
                "A3",
                "PS",
                "LY",
                "IR",
                "J2",
                "BT",
            ]
        )
        + rng.choice(["", " "])
        + str(rng.randint(10, 2999))
    )


def fill_plate():
    return rng.choice(
        [
            lambda: rs(1, "BMKSHF") + "-" + rs(2, UP) + " " + str(rng.randint(10, 9999)),
            lambda: rs(2, UP) + "-" + rs(3, DIG) + "-" + rs(2, UP),
            lambda: rs(1, "АВЕКМНОРСТУХ") + rs(3, DIG) + rs(2, "АВЕКМНОРСТУХ") + " " + str(rng.randint(10, 199)),
            lambda: rs(2, UP) + " " + rs(2, DIG) + " " + rs(2, UP) + " " + rs(4, DIG),
            lambda: rs(3, UP) + " " + rs(3, DIG),
            lambda: rs(2, UP) + rs(2, DIG) + " " + rs(3, UP),
            lambda: "%d%s%d" % (rng.randint(1, 9), rs(3, UP), rng.randint(100, 999)),
        ]
    )()


def fill_ticket():
    return rng.choice(
        [
            lambda: "#" + rs(5, DIG),
            lambda: "INC" + rs(7, DIG),
            lambda: "SR-%d-%05d" % (rng.randint(2023, 2025), rng.randint(1, 99999)),
            lambda: "CASE-" + rs(6, DIG),
            lambda: rs(3, UP) + "-" + rs(4, DIG),
        ]
    )()


def fill_ref():
    while True:
        s = rng.choice(
            [
                lambda: "REF-" + rs(6, UP + DIG),
                lambda: rs(2, UP) + rs(6, DIG) + rs(1, UP),
                lambda: rs(4, UP + DIG) + "-" + rs(4, UP + DIG),
            ]
        )()
        if has_letter_digit(s):
            return s


def fill_invoice():
    return rng.choice(
        [
            lambda: "INV-%d-%05d" % (rng.randint(2023, 2025), rng.randint(1, 99999)),
            lambda: "RE-" + rs(5, DIG),
            lambda: "FA/%d/%04d" % (rng.randint(2023, 2025), rng.randint(1, 9999)),
            lambda: "№ " + rs(4, DIG) + "/" + rs(2, DIG),
        ]
    )()


BC64 = "./" + UP + LOW + DIG


def fill_hash():
    return rng.choice(
        [
            lambda: "$2b$%d$" % rng.choice([10, 12]) + rs(53, BC64),
            lambda: "$2y$10$" + rs(53, BC64),
            lambda: "$6$" + rs(16, BC64) + "$" + rs(86, BC64),
            lambda: "$5$" + rs(16, BC64) + "$" + rs(43, BC64),
            lambda: "$1$" + rs(8, BC64) + "$" + rs(22, BC64),
            lambda: "$argon2id$v=19$m=65536,t=3,p=4$" + rs(22, B64[:-2]) + "$" + rs(43, B64[:-2]),
            lambda: "$9$" + rs(14, BC64) + "$" + rs(43, BC64),
            lambda: "$8$" + rs(14, BC64) + "$" + rs(43, BC64),
        ]
    )()


def fill_shadow():
    return rng.choice(
        [lambda: "$6$" + rs(16, BC64) + "$" + rs(86, BC64), lambda: "$y$j9T$" + rs(22, BC64) + "$" + rs(43, BC64)]
    )()


def fill_bcrypt():
    return "$2b$12$" + rs(53, BC64)


def fill_pk():
    return rng.choice(["pk_live_", "pk_test_"]) + rs(rng.choice([24, 99]), ALNUM)


def fill_sshpub():
    return (
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"
        + rs(43, B64)
        + " "
        + rng.choice(FIRST)
        + "@"
        + rng.choice(["laptop", "desktop", "mbp", "thinkpad", "workstation"])
        + "-"
        + str(rng.randint(1, 9))
    )


def fill_mapbox():
    return "pk.eyJ1Ijoi" + rs(40, ALNUM) + "." + rs(22, ALNUM)


def fill_gclient():
    return rs(12, DIG) + "-" + rs(32, LOW + DIG) + ".apps.googleusercontent.com"


def fill_sitekey():
    return "6L" + rs(38, B64URL)


def fill_uuid():
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def fill_btc():
    return rng.choice(
        [
            lambda: "bc1q" + rs(38, "qpzry9x8gf2tvdw0s3jn54khce6mua7l"),
            lambda: rng.choice("13") + rs(33, "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"),
        ]
    )()


PLACEHOLDERS = ["<password>", "********", "[redacted]", "<your-password>", "•••••••••", "(hidden)", "<PASSWORD>", "***"]
ENVREFS = [
    "${DB_PASSWORD}",
    "$SMTP_PASS",
    "%API_TOKEN%",
    "${{ secrets.DEPLOY_KEY }}",
    "{{ vault_db_password }}",
    "process.env.STRIPE_SECRET",
    "os.environ['API_KEY']",
    "${env:ROUTER_PASS}",
    "$(cat /run/secrets/db_pass)",
]
DOCEX = [
    "AKIAIOSFODNN7EXAMPLE",
    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx",
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "YOUR_API_KEY",
    "your_api_key_here",
    "xoxb-your-bot-token",
    "AIza" + "x" * 35,
    "sk-proj-xxxxxxxxxxxxxxxxxxxx",
    "EXAMPLE-TOKEN-1234",
]
SERVICES = [
    "Google",
    "GitHub",
    "Dropbox",
    "Proton",
    "Binance",
    "Microsoft",
    "Facebook",
    "Steam",
    "Coinbase",
    "Bitwarden",
    "Instagram",
    "PayPal",
    "Discord",
    "Twitch",
    "GitLab",
]


def fill_resmail():
    local = rng.choice(
        [
            rng.choice(FIRST),
            rng.choice(FIRST) + "." + rng.choice(LAST),
            "test" + str(rng.randint(1, 99)),
            "qa-user",
            "demo",
            "noreply",
        ]
    )
    dom = rng.choice(
        [
            "example.com",
            "example.org",
            "example.net",
            "mail.example.com",
            "shop.test",
            "corp.test",
            "mail.invalid",
            "dev.localhost",
            "acme.example",
            "staging.example.org",
        ]
    )
    return local + "@" + dom


def fill_masked():
    d = raw_card()
    return rng.choice(
        [
            lambda: d[0] + "*** **** **** " + d[-4:],
            lambda: "•••• " + d[-4:],
            lambda: "XXXX-XXXX-XXXX-" + d[-4:],
            lambda: d[:6] + "******" + d[-4:],
            lambda: "**** " + d[-4:],
        ]
    )()


def fill_badcard():
    d = raw_card()
    bad = d[:-1] + str((int(d[-1]) + rng.randint(1, 9)) % 10)
    assert not luhn_ok(bad)
    return fmt_card(bad)


def fill_mac():
    sep = rng.choice([":", "-"])
    s = sep.join(rs(2, "0123456789ABCDEF") for _ in range(6))
    return s.lower() if rng.random() < 0.4 else s


def fill_meeting():
    return rng.choice(
        [
            lambda: "%s %s %s" % (rs(3, DIG), rs(4, DIG), rs(4, DIG)),
            lambda: "%s-%s-%s" % (rs(3, DIG), rs(3, DIG), rs(3, DIG)),
            lambda: rs(10, DIG),
        ]
    )()


def fill_phone():
    return rng.choice(
        [
            lambda: "+49 15%d %s" % (rng.randint(1, 9), rs(8, DIG)),
            lambda: "+7 9%s %s-%s-%s" % (rs(2, DIG), rs(3, DIG), rs(2, DIG), rs(2, DIG)),
            lambda: "+33 6 %s %s %s %s" % tuple(rs(2, DIG) for _ in range(4)),
            lambda: "+81 90-%s-%s" % (rs(4, DIG), rs(4, DIG)),
            lambda: "+254 7%s %s%s" % (rs(2, DIG), rs(3, DIG), rs(3, DIG)),
            lambda: "+84 9%s %s %s" % (rs(1, DIG), rs(3, DIG), rs(3, DIG)),
            lambda: "(0%s) %s %s" % (rs(3, DIG), rs(3, DIG), rs(4, DIG)),
            lambda: "+91 9%s %s" % (rs(4, DIG), rs(5, DIG)),
        ]
    )()


def fill_imei():
    body = rng.choice(["35", "86", "01"]) + rs(12, DIG)
    return body + luhn_digit(body)


def fill_custid():
    return rng.choice(
        [
            lambda: "C-" + rs(6, DIG),
            lambda: "KD-" + rs(5, DIG),
            lambda: rs(2, UP) + rs(7, DIG),
            lambda: "CUST" + rs(8, DIG),
        ]
    )()


def fill_cachekey():
    return rng.choice(
        [
            lambda: "user:%s:profile:v%d" % (rs(5, DIG), rng.randint(1, 5)),
            lambda: "sess-cache/%s" % rs(12, HEX),
            lambda: "cart:%s:%s" % (rs(6, DIG), rng.choice(["de", "fr", "ru", "jp"])),
            lambda: "tpl:%s:%s" % (rng.choice(WORDS), rs(8, HEX)),
        ]
    )()


def fill_exp():
    return "%02d/%02d" % (rng.randint(1, 12), rng.randint(25, 31))


def fill_time():
    return "%02d:%02d" % (rng.randint(0, 23), rng.choice([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]))


def fill_date():
    return rng.choice(
        [
            lambda: "%02d.%02d." % (rng.randint(1, 28), rng.randint(1, 12)),
            lambda: "2025-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28)),
            lambda: "%d/%d" % (rng.randint(1, 28), rng.randint(1, 12)),
        ]
    )()


def fill_host(ctx):
    return rng.choice(["mail.", "vpn.", "nas.", "git.", "db.", "srv1.", "cloud.", "smtp."]) + company_domain(
        ctx["lang"]
    )


FILL = {
    "n_ssid": fill_ssid,
    "n_user": fill_user,
    "n_priv": fill_priv,
    "n_nonpub": fill_nonpub,
    "n_priv6": fill_priv6,
    "n_docip": fill_docip,
    "n_docip6": fill_docip6,
    "n_order": fill_order,
    "n_track": fill_track,
    "n_pnr": fill_pnr,
    "n_coupon": fill_coupon,
    "n_sku": fill_sku,
    "n_file": fill_file,
    "n_ver": fill_ver,
    "n_flight": fill_flight,
    "n_plate": fill_plate,
    "n_ticket": fill_ticket,
    "n_ref": fill_ref,
    "n_invoice": fill_invoice,
    "n_hash": fill_hash,
    "n_shadow": fill_shadow,
    "n_bcrypt": fill_bcrypt,
    "n_pk": fill_pk,
    "n_sshpub": fill_sshpub,
    "n_mapbox": fill_mapbox,
    "n_gclientid": fill_gclient,
    "n_sitekey": fill_sitekey,
    "n_csrf": lambda: rng.choice([rs(40, B64URL), rs(64, HEX), rs(32, ALNUM)]),
    "n_uuid": fill_uuid,
    "n_hex32": lambda: rs(32, HEX),
    "n_hex16": lambda: rs(16, HEX),
    "n_sha": lambda: rs(64, HEX),
    "n_md5": lambda: rs(32, HEX),
    "n_btc": fill_btc,
    "n_eth": lambda: "0x" + rs(40, HEX + "ABCDEF"),
    "n_placeholder": lambda: rng.choice(PLACEHOLDERS),
    "n_envref": lambda: rng.choice(ENVREFS),
    "n_docex": lambda: rng.choice(DOCEX),
    "n_resmail": fill_resmail,
    "n_last4": lambda: rs(4, DIG),
    "n_masked": fill_masked,
    "n_badcard": fill_badcard,
    "n_commit": lambda: rs(rng.choice([7, 40]), HEX),
    "n_mac": fill_mac,
    "n_meeting": fill_meeting,
    "n_phone": fill_phone,
    "n_nonce": lambda: rs(rng.choice([16, 24]), B64URL),
    "n_cachekey": fill_cachekey,
    "n_accessor": lambda: rs(24, ALNUM),
    "n_custid": fill_custid,
    "n_imei": fill_imei,
    "n_time": fill_time,
    "n_date": fill_date,
    "n_exp": fill_exp,
    "n_amount": lambda: rng.choice(
        [
            "%d,%02d €" % (rng.randint(5, 2000), rng.randint(0, 99)),
            "$%d.%02d" % (rng.randint(5, 2000), rng.randint(0, 99)),
            "%d ₽" % rng.randint(100, 90000),
            "¥%d" % rng.randint(500, 90000),
        ]
    ),
    "n_pct": lambda: str(rng.choice([5, 10, 15, 20, 25, 30, 40])),
    "n_service": lambda: rng.choice(SERVICES),
    "n_twsid": lambda: "AC" + rs(32, HEX),
    "n_b64user": lambda: base64.b64encode(fill_user().encode()).decode(),
    "n_k8sname": lambda: (
        rng.choice(["db-creds", "smtp-secret", "api-keys", "app-env", "redis-auth"]) + "-" + rs(4, LOW + DIG)
    ),
    "n_port": lambda: str(rng.choice([22, 2222, 8080, 8443, 3389, 5432, 3306, 21, 554, 8000, 9000])),
    "n_room": lambda: str(rng.randint(101, 999)),
}
FILL_CTX = {"n_host": fill_host, "n_domain": lambda ctx: company_domain(ctx["lang"])}

# ---------------------------------------------------------------- rendering
PH = re.compile(r"\{([^{}]+)\}")


def render(tmpl, lang):
    L = PB[lang]
    ctx = {"lang": lang}
    names = rng.sample(L["names"], 2)
    qo, qc = rng.choice(QUOTES.get(lang, [('"', '"')]))
    memo = {}
    out, spans, pos = [], [], 0

    def emit(s):
        nonlocal pos
        out.append(s)
        pos += len(s)

    last = 0
    for m in PH.finditer(tmpl):
        emit(tmpl[last : m.start()])
        last = m.end()
        name = m.group(1)
        base = re.split(r"[#:]", name)[0]
        if name == "qo":
            emit(qo)
        elif name == "qc":
            emit(qc)
        elif name == "nm":
            emit(names[0])
        elif name == "nm2":
            emit(names[1])
        elif name == "sep":
            s = rng.choice(SEPS)
            emit(" : " if (lang == "fr" and s == ": ") else s)
        elif base in GENS:
            arg = name.split(":", 1)[1].split("#")[0] if ":" in name else None
            key = name.split("#", 1)[1] if "#" in name else None
            if key is not None and key in memo:
                val, ent = memo[key]
            else:
                fn, ent = GENS[base]
                val = g_tok(ctx, arg) if base == "TOK" else fn(ctx)
                if key is not None:
                    memo[key] = (val, ent)
            start = pos
            emit(val)
            spans.append({"start": start, "end": pos, "entity": ent, "_value": val, "_gen": base})
        elif name in FILL:
            emit(FILL[name]())
        elif name in FILL_CTX:
            emit(FILL_CTX[name](ctx))
        elif name.lower() in KEYS:
            s = L[name.lower()]
            if name[0].isupper() and lang != "ka":  # Georgian Mkhedruli has no sentence case
                s = s[0].upper() + s[1:]
            emit(s)
        else:
            raise KeyError("unknown placeholder %r in %r" % (name, tmpl))
    emit(tmpl[last:])
    return "".join(out), spans


# ---------------------------------------------------------------- templates
# (context, template[, n_variants])
POS = [
    ("chat_message", "{Hi} {nm}! {Wifi}{sep}{WIFI}"),
    ("chat_message", "{Wifi}\n{WIFI}"),
    ("chat_message", "{Network}: {n_ssid}\n{Pw}: {WIFI}"),
    ("chat_message", "{qo}{WIFI}{qc} — {wifi} 😉"),
    ("family_chat", "{nm}: {wifi}?\n{nm2}: {WIFI#a}\n{nm}: {WIFI#a} ?\n{nm2}: 👍"),
    ("group_chat", "[{n_time}] {nm}: {Router} admin / {PW}\n[{n_time}] {nm2}: {thanks}"),
    ("chat_message", "{Camera} ({n_priv}) → admin / {PW}"),
    ("chat_message", "rtsp://admin:{PW}@{IP4}:554/Streaming/Channels/101 ← {camera}"),
    ("email", "{Hi} {nm},\n\n{Login}: {EMAIL}\n{Pw}: {PW}\n\n{Dont}.\n\n{nm2}"),
    ("email", "{Hi} {nm},\n{here}:\n{email} {EMAIL} / {pw} {qo}{PW}{qc}\n{thanks}"),
    ("support_ticket", "{Ticket} {n_ticket}\n{User}: {n_user}\n{New}: {PW}"),
    ("chat_message", "{New}{sep}{PW}"),
    ("team_chat", "Stripe {key}{sep}{TOK:stripe_sk}"),
    ("team_chat", "{Here}, GitHub token → {TOK:github}"),
    ("team_chat", "{Here}, OpenAI {key}:\n{TOK:openai}\n{dont}"),
    ("team_chat", "Telegram bot ({key}): {TOK:telegram}"),
    ("team_chat", "SendGrid {key}{sep}{TOK:sendgrid}"),
    ("team_chat", "AWS ({key}):\nAccess key ID: {TOK:aws_id}\nSecret access key: {TOK:aws_secret}"),
    ("team_chat", "Slack bot token {qo}{TOK:slack}{qc} — {dont}"),
    ("team_chat", "Google Maps {key}: {TOK:google}"),
    ("team_chat", "{TOK:gitlab} — GitLab {key}, {dont}"),
    ("team_chat", "npm publish token ({key}): {TOK:npm}"),
    ("team_chat", "Hugging Face {key}{sep}{TOK:hf}"),
    ("team_chat", "Anthropic {key}{sep}{TOK:anthropic}"),
    ("team_chat", "Twilio — Account SID {n_twsid}, auth token{sep}{TOK:twilio_auth} ({key})"),
    ("team_chat", "Mailgun {key}: {TOK:mailgun}"),
    ("team_chat", "DigitalOcean {key} {TOK:do}"),
    ("team_chat", "Shopify admin token ({key}): {TOK:shopify}"),
    ("team_chat", "Discord bot token ({key})\n{TOK:discord}"),
    ("team_chat", "PyPI {key}: {TOK:pypi}"),
    ("team_chat", "Notion {key} = {TOK:notion}"),
    ("team_chat", "Postman {key}: {TOK:postman}"),
    ("team_chat", "Stripe webhook signing secret ({key}): {TOK:whsec}"),
    ("team_chat", "Linear {key}: {TOK:linear}"),
    ("chat_message", "{Key}: {TOK}"),
    (
        "forum_post",
        "curl -H 'Authorization: Bearer {JWT}' https://api.{n_domain}/v2/profile → 401 ?! ({version} {n_ver})",
    ),
    ("team_chat", "JWT ({key}): {JWT}"),
    ("team_chat", "{Here}, deploy key ({key}):\n{PKEY}"),
    ("forum_post", "{Server} {IP4}, root / {PW}"),
    ("team_chat", "ssh deploy@{IP4} -p 2222\n{pw}: {PW}"),
    ("team_chat", "{Server}: postgres://app:{PW}@{IP4}:5432/shop"),
    ("team_chat", "{Server} {n_host}\nmysql -h {n_host} -u report -p{PW}"),
    ("team_chat", "curl -u api:{PW} https://{n_host}/status  # {pw}"),
    ("team_chat", "{Here}:\nAuthorization: Basic {B64AUTH}"),
    ("team_chat", "ftp://backup:{PW}@{IP4}/dumps/ ({server})"),
    ("email", "SMTP: {n_host}:587\n{Login}: {EMAIL}\n{Pw}: {PW}"),
    ("chat_message", "{Email}: {EMAIL}\n{pw}: {PW}\n{Codes}: {BC} {BC} {BC}"),
    ("personal_note", "{Codes} ({n_service}):\n{BC}\n{BC}\n{BC}\n{BC}\n{BC}"),
    ("chat_message", "{Codes}: {BC}, {BC}, {BC}"),
    ("chat_message", "{Pin}{sep}{PIN}"),
    ("chat_message", "{PIN} ({pin})"),
    ("personal_note", "{Router}: {n_priv}\nadmin\n{PW}\n\n{Wifi}: {WIFI}"),
    ("family_chat", "{Wifi}: {WIFI}\n{Router}: admin / {PW}\n{Camera}: {PIN}"),
    ("chat_message", "WIFI:T:WPA;S:{n_ssid};P:{WIFI};;  ← QR, {wifi}"),
    ("chat_message", "{Card}: {CARD}", 8),
    ("chat_message", "{Card} {CARD} ({n_exp})", 8),
    ("email", "{Hi} {nm},\n{card}{sep}{CARD}\n{thanks}\n{nm2}", 8),
    ("chat_message", "{Card}:\n{CARD}\n{n_exp}\n{nm}", 8),
    ("chat_message", "{Email}{sep}{EMAIL}"),
    ("chat_message", "{EMAIL} ← {email} {nm}"),
    ("email", "{Hi},\n{email}: {EMAIL}, {EMAIL}\n{thanks}"),
    ("forum_post", "{Server}: {IP4}\nallowlist: {IP4}/32"),
    ("support_ticket", "{Ticket} {n_ticket}: IP {IP4} / {IP6}"),
    ("chat_message", "{Server} IP{sep}{IP4}"),
    ("forum_post", "{Server} [{IP6}]:8443 — {version} {n_ver}"),
    ("team_chat", "ping {IP4} → timeout, {server} {n_host}"),
    ("support_ticket", "{Email}: {EMAIL}\nIP: {IP4}\n{Card}: {CARD}", 7),
    ("forum_post", "combo ({login}:{pw}):\n{EMAIL}:{PW}\n{EMAIL}:{PW}"),
    ("team_chat", "{Here}:\nAPP_ENV=production\nAPP_KEY=base64:{APPKEY}\nDB_HOST={n_priv}\nDB_PASSWORD={PW}"),
    (
        "team_chat",
        "{Here}:\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {n_k8sname}\ntype: Opaque\ndata:\n  username: {n_b64user}\n  password: {K8S}",
    ),
    ("team_chat", "# {server}\nDB_PASSWORD={PW}\nDB_HOST={IP4}"),
    ("chat_message", "{Pw} {email} {EMAIL}{sep}{PW}"),
    ("group_chat", "{nm}: {Pw}{sep}{PW#a}\n{nm2}: ?\n{nm}: {again}: {PW#a}"),
    ("email", "{Hi} {nm},\n{new}: {PW}\n{Login}: {n_user}\n{server}: {IP4}\n\n{nm2}"),
    ("sms", "{Pin}: {PIN}. {Dont}."),
    ("chat_message", "{Pw}: {PP}"),
    ("chat_message", "{Wifi} - {PP}"),
    ("team_chat", "{Login} OK, session cookie: sessionid={SESS}"),
    ("team_chat", "{Key}\n{GEN}"),
    ("team_chat", "OAuth ({key}):\nclient_id: {n_user}-web\nclient_secret: {GEN}"),
    ("team_chat", "webhook secret ({key}){sep}{HEX}"),
    ("chat_message", "{Login}{sep}{n_user}\n{Pw}{sep}{PW}"),
    ("chat_message", "{n_user} / {PW} ({login})"),
    ("chat_message", "{Pw} ➜ {PW}, {login} ➜ {EMAIL}"),
    ("email", "Re: {pw}\n\n> {Forgot}\n\n{New}: {PW}\n{Dont}."),
    ("chat_message", "VPN {server} {IP4}, PSK {WIFI}, {login} {n_user}, {pw} {PW}"),
    ("chat_message", "{Camera} {IP4}:8000 admin {PW}"),
    ("chat_message", "{Router} http://{IP4}:8080 — admin / {PW}"),
    ("chat_message", "{Card} {CARD}, {email} {EMAIL}", 7),
    ("team_chat", "{Server} {IP6}\nroot\n{PW}"),
    ("chat_message", "{Pw} {qo}{PW}{qc}"),
    ("chat_message", "{nm}, ({pw}: {PW})"),
    ("chat_message", "{Pw} – {PW} – {dont}"),
    ("personal_note", "{n_service}\n{EMAIL}\n{PW}\n{Codes}: {BC} {BC}"),
    ("email", "{Invoice} {n_invoice}\n{card}: {CARD}\n{email}: {EMAIL}", 7),
    ("chat_message", "{PW} ← {new}"),
    ("chat_message", "{Here}: {WIFI} ({wifi})"),
    ("team_chat", "{Key}:\nAuthorization: token {TOK:github}"),
    ("team_chat", "git clone https://oauth2:{TOK:gitlab}@gitlab.{n_domain}/team/app.git  # {key}"),
    ("team_chat", "WebDAV ({server}): https://{n_user}:{PW}@{n_host}/dav/"),
    ("team_chat", "Square {key}: {TOK:square}"),
    ("team_chat", "Mapbox secret token ({key}): {TOK:mapbox_sk}"),
    ("team_chat", "Twilio API {key}: {TOK:twilio_key}, secret {GEN}"),
    ("support_ticket", "{Ticket} {n_ticket}\nIP: {IP}\n{Email}: {EMAIL}"),
    ("chat_message", "{Wifi} ({n_ssid}):\n{qo}{WIFI}{qc}\n{Router}: {PW}"),
    ("group_chat", "{nm}: {codes}?\n{nm2}: {BC}\n{nm2}: {BC}\n{nm}: {thanks}"),
    ("chat_message", "{EMAIL}\n{PW}\n({login} / {pw})"),
    ("email", "{Hi} {nm},\n{Server}: {IP4}\n{Login}: root\n{Pw}: {PW}\n{Key}: {GEN}\n\n{Dont}."),
    ("chat_message", "{Pw}:{PW} {login}:{n_user}"),
    ("forum_post", "{Hi}! {Email}{sep}{EMAIL} — {thanks}"),
    ("chat_message", "{Card}{sep}{CARD}\n{Email}{sep}{EMAIL}\n{Pw}{sep}{PW}", 6),
]

NEG = [
    ("order_number", "chat_message", "{Order}{sep}{n_order}"),
    ("order_number", "email", "{Hi} {nm},\n{order} {n_order}\n{tracking} {n_track}\n{thanks}\n{nm2}"),
    ("order_number", "support_ticket", "{Ticket} {n_ticket}\n{Order}: {n_order}\n{Invoice}: {n_invoice}"),
    ("order_number", "marketplace_chat", "{n_order} ({order}) — {thanks}"),
    ("tracking_number", "chat_message", "{Tracking}: {n_track}"),
    ("tracking_number", "sms", "{n_track} ← {tracking}"),
    ("tracking_number", "email", "{Hi} {nm}, {tracking}{sep}{n_track}. {thanks}"),
    ("booking_reference", "chat_message", "{Booking}{sep}{n_pnr}, {flight} {n_flight}"),
    ("booking_reference", "email", "{Booking}: {qo}{n_pnr}{qc}\n{nm}"),
    ("booking_reference", "group_chat", "{nm}: {booking}?\n{nm2}: {n_pnr} ({flight} {n_flight})"),
    ("coupon_code", "chat_message", "{Coupon}: {n_coupon} 🎉"),
    ("coupon_code", "social_post", "{Coupon} {qo}{n_coupon}{qc} -{n_pct}%"),
    ("coupon_code", "group_chat", "{nm}: {coupon}{sep}{n_coupon}\n{nm2}: {thanks}"),
    ("product_sku", "marketplace_chat", "{Sku}{sep}{n_sku}"),
    ("product_sku", "support_ticket", "{Ticket} {n_ticket}: {sku} {n_sku}, {sku} {n_sku}"),
    ("wifi_network_name", "chat_message", "{Network}{sep}{n_ssid}"),
    ("wifi_network_name", "family_chat", "{Network}: {qo}{n_ssid}{qc}, 5 GHz: {n_ssid}"),
    ("username", "chat_message", "{User}{sep}{n_user}"),
    ("username", "support_ticket", "{Login}: {n_user}\n{Forgot}"),
    ("username", "forum_post", "@{n_user} {thanks}"),
    ("file_name", "team_chat", "{File}: {n_file}"),
    ("file_name", "email", "{Hi} {nm},\n{file} {qo}{n_file}{qc}\n{nm2}"),
    ("version_string", "forum_post", "{Version} {n_ver}"),
    ("version_string", "support_ticket", "{Router} firmware {n_ver}, {version} app {n_ver}"),
    ("flight_number", "chat_message", "{Flight} {n_flight}, {n_time}"),
    ("flight_number", "family_chat", "{n_flight} {n_date} {n_time} ✈️ ({flight})"),
    ("licence_plate", "chat_message", "{Plate}: {n_plate}"),
    ("licence_plate", "group_chat", "{n_plate} ({plate}) — {nm}"),
    ("reference_code", "support_ticket", "{Ticket}: {n_ticket}"),
    ("reference_code", "email", "Ref. {n_ref}\n{Hi} {nm}, {thanks}"),
    ("reference_code", "sms", "{Ticket}{sep}{n_ref}"),
    ("invoice_number", "email", "{Invoice} {n_invoice} — {n_amount}"),
    ("invoice_number", "support_ticket", "{Invoice}: {n_invoice}, {order}: {n_order}"),
    ("password_hash", "team_chat", "{Pw} (hash): {n_hash}"),
    ("password_hash", "forum_post", "/etc/shadow ({pw} hash):\n{n_user}:{n_shadow}:19876:0:99999:7:::"),
    ("password_hash", "support_ticket", "{Ticket} {n_ticket}: bcrypt {n_bcrypt}"),
    ("public_key", "team_chat", "Stripe publishable key ({key}?): {n_pk}"),
    ("public_key", "team_chat", "{Here}, ssh public key:\n{n_sshpub}"),
    ("public_key", "team_chat", "Mapbox public token: {n_mapbox} ({version} {n_ver})"),
    ("oauth_client_id", "team_chat", "client_id{sep}{n_gclientid} ({key}?)"),
    ("oauth_client_id", "forum_post", "OAuth client ID {n_gclientid} — {version} {n_ver}"),
    ("recaptcha_site_key", "team_chat", "reCAPTCHA site key: {n_sitekey} ({file} {n_file})"),
    ("csrf_token", "forum_post", "csrf_token={n_csrf}\n{Version} {n_ver}"),
    ("csrf_token", "team_chat", "X-CSRF-Token: {n_csrf} ({server} {n_host})"),
    ("request_id", "support_ticket", "{Ticket} {n_ticket}\nrequest-id: {n_uuid}"),
    ("request_id", "team_chat", "trace_id={n_hex32} span_id={n_hex16} ({server})"),
    ("request_id", "team_chat", "Idempotency-Key: {n_uuid} ({order} {n_order})"),
    ("checksum_digest", "forum_post", "SHA256 ({n_file}) = {n_sha} ({version} {n_ver})"),
    ("checksum_digest", "team_chat", "{File} {n_file}, md5 {n_md5}"),
    ("crypto_wallet_address", "chat_message", "{Here}, BTC: {n_btc}"),
    ("crypto_wallet_address", "group_chat", "USDT (ERC-20){sep}{n_eth}\n{thanks}"),
    ("placeholder_reference", "team_chat", "{Pw}: {n_envref}"),
    ("placeholder_reference", "forum_post", "{Login}: {n_user}\n{Pw}: {n_placeholder}"),
    ("placeholder_reference", "team_chat", "DB_PASSWORD={n_envref}\n# {pw} → vault, {dont}"),
    ("documentation_example", "forum_post", "{Key}: {n_docex} — {version} {n_ver}?"),
    (
        "documentation_example",
        "team_chat",
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n# {file} {n_file}",
    ),
    ("reserved_domain_email", "chat_message", "{Email}: {n_resmail}"),
    ("reserved_domain_email", "support_ticket", "{Login}: {n_resmail}\n{Forgot}"),
    ("reserved_domain_email", "team_chat", "{Email} (QA): {n_resmail}, {n_resmail}"),
    ("private_ip", "chat_message", "{Router}: {n_priv}"),
    ("private_ip", "family_chat", "{Camera} {n_priv}:554, {network} {n_ssid}"),
    ("private_ip", "team_chat", "{Server} {n_nonpub} / {n_priv6}"),
    ("documentation_ip", "forum_post", "{Server} {n_docip} ({version} {n_ver})"),
    ("documentation_ip", "team_chat", "ping {n_docip} → timeout, {server} {n_docip6}"),
    ("masked_card", "chat_message", "{Card}: **** **** **** {n_last4}"),
    ("masked_card", "email", "{Invoice} {n_invoice}\n{card} {n_masked}"),
    ("invalid_card_number", "support_ticket", "{Card} {n_badcard} ❌ ({ticket} {n_ticket})"),
    ("invalid_card_number", "chat_message", "{Card}{sep}{n_badcard} — ???"),
    ("credential_mention_without_value", "support_ticket", "{Forgot} ({user} {n_user})"),
    ("credential_mention_without_value", "chat_message", "{nm}, {wifi}? {n_ssid} — {thanks}"),
    ("credential_mention_without_value", "email", "{Hi} {nm},\n{new} → SMS. {Dont}.\n{Ticket} {n_ticket}"),
    ("commit_hash", "team_chat", "{Version} {n_ver}, commit {n_commit}"),
    ("mac_address", "support_ticket", "{Router} MAC: {n_mac}"),
    ("meeting_id", "team_chat", "Zoom ID{sep}{n_meeting} — {n_time} ({server})"),
    ("phone_number", "chat_message", "{Hi}! {nm}: {n_phone}"),
    ("phone_number", "email", "{Hi},\n{nm2} — {n_phone}\n{thanks}"),
    ("nonce", "team_chat", "nonce={n_nonce} ({version} {n_ver})"),
    ("cache_key", "team_chat", "cache key: {n_cachekey} ({server} {n_host})"),
    ("vault_accessor", "team_chat", "Vault accessor: {n_accessor} ({user} {n_user})"),
    ("customer_id", "support_ticket", "{User} ID: {n_custid}, {order} {n_order}"),
    ("imei_number", "support_ticket", "IMEI: {n_imei}, {version} {n_ver}"),
    ("booking_reference", "sms", "{Booking} {n_pnr}, {n_date} {n_time}. {Thanks}"),
    ("wifi_network_name", "forum_post", "{Router} {n_ver}: {network} {qo}{n_ssid}{qc}"),
    ("username", "group_chat", "{nm}: {user}?\n{nm2}: {n_user}"),
    ("coupon_code", "email", "{Hi} {nm}! {Coupon}: {n_coupon} ({order} {n_order})"),
    ("tracking_number", "marketplace_chat", "{Order} {n_order} → {tracking} {n_track}"),
]

# single-language templates: (lang, context, category, template)
LANG_T = [
    (
        "ru",
        "chat_message",
        "positive",
        "Саш, пароль от роутера поменял на {PW}, а на камере теперь {PW}. Логин везде admin.",
    ),
    (
        "ru",
        "email",
        "positive",
        "Добрый день!\nДоступ к тестовому стенду:\nхост {IP4}\nлогин deploy\nпароль «{PW}»\nС уважением, {nm}",
    ),
    ("uk", "team_chat", "positive", "{nm}, ось токен бота: {TOK:telegram}. Не коміть його в репозиторій, будь ласка."),
    (
        "de",
        "chat_message",
        "positive",
        "Kurze Info: Das WLAN heißt {n_ssid}, der Schlüssel ist „{WIFI}“. Bitte nicht weitergeben.",
    ),
    (
        "de",
        "support_ticket",
        "positive",
        "Sehr geehrte Damen und Herren,\nmein Zugang zum Kundenportal ({EMAIL}) ist gesperrt. Das Passwort {PW} funktioniert nicht mehr.\nMit freundlichen Grüßen\n{nm}",
    ),
    ("fr", "chat_message", "positive", "Coucou ! Le code du wifi c'est « {WIFI} », et pour la box l'admin c'est {PW}"),
    (
        "fr",
        "email",
        "positive",
        "Bonjour {nm},\nVoici vos accès à l'extranet : identifiant {EMAIL}, mot de passe provisoire {PW}\nPensez à le changer à la première connexion.\nCordialement",
    ),
    (
        "es",
        "chat_message",
        "positive",
        "Oye, el correo de la tienda es {EMAIL} y la contraseña {PW}, cámbiala cuando puedas",
    ),
    ("it", "chat_message", "positive", "La password della telecamera in negozio è {PW}, l'indirizzo pubblico è {IP4}"),
    ("pt", "chat_message", "positive", "Amor, a senha do wifi da casa da praia é {WIFI} 😘"),
    ("ja", "team_chat", "positive", "お疲れさまです。検証環境のDBパスワードは「{PW}」です。ホストは{IP4}です。"),
    ("ja", "chat_message", "positive", "Wi-Fiのパスワード変えたよ→{WIFI}"),
    ("zh", "family_chat", "positive", "老婆，家里WiFi密码改成{WIFI}了，记一下。"),
    ("zh", "team_chat", "positive", "测试服务器：{IP4}，账号root，密码「{PW}」，用完记得改。"),
    ("ko", "team_chat", "positive", "팀장님, 스테이징 서버 {IP4} 접속 비번은 {PW} 입니다."),
    ("ko", "chat_message", "positive", "넷플릭스 계정 {EMAIL} 비번 {PW} 공유할게"),
    ("ar", "chat_message", "positive", "يا {nm}، كلمة سر الكاميرا هي {PW} وعنوانها {IP4}"),
    ("he", "chat_message", "positive", "הסיסמה לחשבון של המשרד: {PW} — אל תשלח אותה בקבוצה"),
    ("fa", "chat_message", "positive", "رمز مودم رو عوض کردم: {WIFI}"),
    ("hi", "chat_message", "positive", "भाई, नेटफ्लिक्स का पासवर्ड {PW} है, ईमेल {EMAIL}"),
    ("tr", "chat_message", "positive", "Abi modemin arayüz şifresi {PW}, IP {n_priv}"),
    ("pl", "email", "positive", "Hasło do skrzynki {EMAIL} to „{PW}”, ale jutro je zmienię."),
    ("el", "chat_message", "positive", "Ο κωδικός για το Wi-Fi του γραφείου είναι «{WIFI}»."),
    ("vi", "chat_message", "positive", "Anh ơi, mật khẩu wifi quán là {WIFI} nhé"),
    ("th", "chat_message", "positive", "รหัสไวไฟห้องประชุมคือ {WIFI} ค่ะ"),
    ("ka", "chat_message", "positive", "{nm}, სერვერის პაროლი: {PW}, IP: {IP4}"),
    ("hy", "chat_message", "positive", "{nm}, Wi-Fi-ի գաղտնաբառը «{WIFI}» է։"),
    ("am", "chat_message", "positive", "የቢሮው ዋይፋይ የይለፍ ቃል ‹{WIFI}› ነው።"),
    ("bn", "chat_message", "positive", "দাদা, রাউটারের পাসওয়ার্ড {PW}, ইউজার admin"),
    ("nl", "chat_message", "positive", "Hoi! Kun je {CARD} gebruiken voor de bestelling? Vervalt {n_exp}."),
    (
        "sv",
        "email",
        "positive",
        "Hej {nm}!\nHär är inloggningen till bokföringen: {EMAIL} / {PW}\nRadera mejlet efteråt.",
    ),
    ("fi", "chat_message", "positive", "Mökin wifi: verkko {n_ssid}, salasana {WIFI}"),
    (
        "cs",
        "forum_post",
        "positive",
        "Ahoj, kamera na veřejné IP {IP4} mi nejde, heslo {PW} je určitě správně. Poradí někdo?",
    ),
    ("hu", "chat_message", "positive", "A közös Spotify fiók: {EMAIL}, jelszó: {PW}"),
    ("ro", "chat_message", "positive", "Parola de la routerul din birou e {PW}, iar IP-ul public {IP4}."),
    ("id", "chat_message", "positive", "Bro, kode 2FA cadangan: {BC} sama {BC}, simpan baik-baik ya"),
    ("sw", "chat_message", "positive", "Nenosiri la Wi-Fi ya ofisi ni {WIFI}, jina la mtandao {n_ssid}"),
    (
        "en",
        "forum_post",
        "positive",
        "Hey all, my VPS at {IP4} keeps getting brute-forced. I changed root to {PW} but the logs still show attempts from {IP4}. Ideas?",
    ),
    ("ms", "chat_message", "positive", "Nombor kad untuk bayar hosting: {CARD}. Tolong padam mesej ni lepas guna"),
    ("lt", "chat_message", "positive", "Slaptažodis el. paštui {EMAIL}: {PW}"),
    ("ur", "chat_message", "positive", "وائی فائی کا پاس ورڈ {WIFI} ہے"),
    ("ta", "chat_message", "positive", "சர்வர் {IP4} கடவுச்சொல் {PW}"),
    ("lv", "chat_message", "positive", "Kameras parole: {PW}, adrese {IP4}:8080"),
    ("et", "email", "positive", "Tere {nm}!\nSinu ajutine parool on {PW}\nKasutajanimi: {EMAIL}"),
    ("hr", "chat_message", "positive", "Lozinka za Netflix je {PW}, mail {EMAIL}"),
    ("sk", "chat_message", "positive", "Wi-Fi na chate: {n_ssid} / {WIFI}"),
    ("tl", "chat_message", "positive", "Pre, password ng router: {PW}, admin yung username"),
    ("nb", "chat_message", "positive", "Koden til garasjeport-appen er {PIN}, passordet til kontoen {PW}"),
    ("da", "chat_message", "positive", "Wifi-koden til sommerhuset er {WIFI}"),
    (
        "en",
        "support_ticket",
        "positive",
        "Please charge the remaining balance to {CARD}, exp {n_exp}. Receipt to {EMAIL}.",
    ),
    ("sr", "chat_message", "positive", "Лозинка за рутер је {PW}, а за камеру {PIN}."),
    ("bg", "email", "positive", "Здравей {nm},\nново API ключ за магазина: {TOK:stripe_sk}\nСтарият е спрян."),
    (
        "de",
        "group_chat",
        "positive",
        "{nm}: Wie war nochmal das Passwort fürs NAS?\n{nm2}: {PW#a}\n{nm}: Geht nicht\n{nm2}: Groß-/Kleinschreibung beachten: {PW#a}",
    ),
    (
        "es",
        "email",
        "positive",
        "Hola {nm}:\nTe paso los códigos de respaldo de la cuenta de Google:\n{BC}\n{BC}\n{BC}\n{BC}\nGuárdalos en un lugar seguro.",
    ),
    (
        "ru",
        "forum_post",
        "positive",
        "Помогите, не могу зайти в панель на {IP4}. Пароль ставил {PW}, логин {n_user}. Хостер говорит, что всё ок.",
    ),
    (
        "ja",
        "email",
        "positive",
        "山田様\n\nお世話になっております。\nFTPアカウントを発行しました。\nホスト: {IP4}\nユーザー: {n_user}\nパスワード: {PW}\n\nよろしくお願いいたします。",
    ),
    ("ar", "support_ticket", "positive", "مرحباً، بريدي {EMAIL} ورقم بطاقتي {CARD}، تم خصم المبلغ مرتين."),
    ("fa", "team_chat", "positive", "توکن گیت‌هاب برای CI: {TOK:github} — لطفاً تو کانال عمومی نذارید"),
    ("he", "email", "positive", "שלום {nm},\nפרטי הכניסה למערכת החדשה:\nמשתמש: {EMAIL}\nסיסמה: {PW}"),
    ("zh", "chat_message", "positive", "我的邮箱是{EMAIL}，有问题随时联系。"),
    ("ko", "email", "positive", "안녕하세요 {nm}님,\n요청하신 카드 번호는 {CARD} 입니다.\n감사합니다."),
    ("tr", "team_chat", "positive", "Sunucu IP: {IP4}, SSH anahtarı aşağıda:\n{PKEY}"),
    (
        "pt",
        "support_ticket",
        "positive",
        "Bom dia, meu acesso {EMAIL} foi bloqueado. A senha que usei foi {PW}. IP de origem: {IP4}.",
    ),
    ("uk", "chat_message", "positive", "Новий пароль до пошти {EMAIL} — {PW}, старий вже не діє."),
    (
        "it",
        "email",
        "positive",
        "Ciao {nm},\nti giro la chiave di Stripe per i test: {TOK:stripe_sk}\nNon metterla su GitHub!",
    ),
    ("en", "chat_message", "positive", "yo the netflix login is {EMAIL} pw {PW} dont change it lol"),
    (
        "vi",
        "team_chat",
        "positive",
        "Server mới: {IP4}, user root, mật khẩu {PW}. Anh em đổi lại sau khi cài xong nhé.",
    ),
    ("hi", "team_chat", "positive", "सर्वर का IP {IP4} है और JWT टोकन यह है: {JWT}"),
    ("th", "team_chat", "positive", "API key ของ LINE Notify ใหม่: {GEN} อย่าแชร์นอกทีมนะ"),
    # negatives
    ("ru", "chat_message", "order_number", "Заказ {n_order} приедет завтра, трек-номер {n_track}."),
    ("de", "chat_message", "booking_reference", "Mein Flug {n_flight} landet um {n_time}, Buchungscode {n_pnr}."),
    ("ja", "support_ticket", "product_sku", "品番{n_sku}の在庫はありますか？注文番号は{n_order}です。"),
    ("zh", "chat_message", "tracking_number", "快递单号{n_track}，明天下午到。"),
    ("ko", "chat_message", "coupon_code", "이 할인 코드 {n_coupon} 아직 쓸 수 있어요?"),
    (
        "fr",
        "support_ticket",
        "username",
        "Mon identifiant c'est {n_user}, mais j'ai oublié le mot de passe. Je fais comment ?",
    ),
    (
        "es",
        "chat_message",
        "wifi_network_name",
        "La red se llama {n_ssid}, la contraseña está pegada detrás del router.",
    ),
    ("it", "email", "file_name", "Ti ho mandato il file {n_file}, aprilo con Excel."),
    ("ar", "chat_message", "licence_plate", "سيارتي رقم لوحتها {n_plate}، الموقف رقم {n_room}"),
    ("he", "forum_post", "version_string", "עדכנתי את האפליקציה לגרסה {n_ver} ועדיין קורס"),
    (
        "tr",
        "chat_message",
        "private_ip",
        "Modemin arayüzüne {n_priv} adresinden giriliyor, şifre kutunun altında yazıyor.",
    ),
    ("pl", "email", "invoice_number", "Faktura {n_invoice} została opłacona przelewem."),
    ("uk", "support_ticket", "reference_code", "Номер звернення {n_ref}, відповідь обіцяли протягом доби."),
    ("pt", "chat_message", "masked_card", "O cartão final {n_last4} foi recusado, vou tentar outro."),
    ("hi", "chat_message", "flight_number", "मेरी फ़्लाइट {n_flight} है, सुबह {n_time} बजे।"),
    ("vi", "chat_message", "phone_number", "Số của chị {nm} là {n_phone} nhé"),
    ("el", "team_chat", "reserved_domain_email", "Για δοκιμές χρησιμοποίησε το {n_resmail}, δεν είναι πραγματικό."),
    ("th", "social_post", "coupon_code", "ใช้โค้ด {n_coupon} ลดได้ {n_pct}%"),
    ("fa", "team_chat", "checksum_digest", "هش فایل {n_file}: {n_sha}"),
    ("nb", "team_chat", "password_hash", "I databasen står bare hashen: {n_hash}"),
    (
        "da",
        "support_ticket",
        "placeholder_reference",
        "Erstat {n_placeholder} med din egen adgangskode i konfigurationsfilen {n_file}.",
    ),
    ("ka", "chat_message", "order_number", "შეკვეთის ნომერია {n_order}, მიტანა ხვალ."),
    ("hy", "sms", "tracking_number", "Ծանրոցի հետագծման համարը՝ {n_track}"),
    ("am", "sms", "booking_reference", "የበረራ ቁጥር {n_flight}፣ የቦታ ማስያዣ ኮድ {n_pnr}"),
    ("bn", "sms", "invoice_number", "বিল নম্বর {n_invoice} পরিশোধ হয়েছে"),
    ("sr", "support_ticket", "username", "Корисничко име ми је {n_user}, а лозинку сам заборавио."),
    ("bg", "chat_message", "crypto_wallet_address", "Изпрати USDT на {n_eth}, мрежа ERC-20."),
    (
        "en",
        "forum_post",
        "documentation_example",
        "The README says to export API_KEY={n_docex} before running {n_file} — is that a real key or a sample?",
    ),
    ("lv", "chat_message", "version_string", "Atjaunoju rūtera programmatūru uz {n_ver}, tagad viss strādā."),
    ("et", "chat_message", "licence_plate", "Auto numbrimärk on {n_plate}, parkisin selle maja ette."),
    ("hr", "email", "order_number", "Narudžba {n_order} je poslana, broj za praćenje {n_track}."),
    ("sk", "social_post", "coupon_code", "Zľavový kód {n_coupon} platí do nedele."),
    ("tl", "chat_message", "booking_reference", "Yung booking reference natin ay {n_pnr}, flight {n_flight}."),
    ("sw", "sms", "phone_number", "Nipigie kwa {n_phone} kesho asubuhi."),
    ("ur", "sms", "order_number", "آپ کا آرڈر نمبر {n_order} ہے، شکریہ"),
    ("ta", "sms", "tracking_number", "உங்கள் பார்சல் கண்காணிப்பு எண் {n_track}"),
    ("ms", "chat_message", "crypto_wallet_address", "Hantar ke alamat dompet {n_btc} ya"),
    ("ro", "team_chat", "meeting_id", "Ne vedem pe Zoom, ID {n_meeting}."),
    ("hu", "support_ticket", "mac_address", "A nyomtató MAC-címe {n_mac}, kérlek vedd fel a DHCP-be."),
    ("nl", "support_ticket", "customer_id", "Mijn klantnummer is {n_custid}, bestelling {n_order}."),
    ("sv", "support_ticket", "imei_number", "Telefonen är stulen, IMEI {n_imei}. Kan ni spärra den?"),
    ("fi", "team_chat", "commit_hash", "Korjaus on commitissa {n_commit}, versio {n_ver}."),
    ("cs", "team_chat", "public_key", "Veřejný klíč pro server:\n{n_sshpub}"),
    ("lt", "team_chat", "oauth_client_id", "Google prisijungimo client ID: {n_gclientid}"),
    ("id", "team_chat", "csrf_token", "Request gagal, token CSRF-nya {n_csrf}, apa sudah kedaluwarsa?"),
    ("ru", "team_chat", "request_id", "Ошибка 500, request id {n_uuid}, посмотри в логах."),
    (
        "de",
        "support_ticket",
        "credential_mention_without_value",
        "Ich habe mein Passwort dreimal falsch eingegeben, jetzt ist das Konto {n_user} gesperrt.",
    ),
    ("ja", "chat_message", "wifi_network_name", "カフェのWi-Fiは「{n_ssid}」、パスワードはレシートに書いてあります。"),
    ("ko", "team_chat", "private_ip", "사내 NAS 주소는 {n_priv} 이고 계정은 각자 IT팀에 요청하세요."),
    ("zh", "team_chat", "password_hash", "数据库里存的是哈希：{n_hash}，不是明文。"),
    ("ar", "team_chat", "placeholder_reference", "ضع كلمة المرور في المتغير {n_envref} ولا تكتبها في الكود."),
    ("es", "team_chat", "documentation_ip", "Para los ejemplos de la documentación usa {n_docip}, no una IP real."),
    ("fr", "email", "masked_card", "Votre carte {n_masked} a été débitée de {n_amount}."),
    (
        "en",
        "email",
        "invalid_card_number",
        "Your payment with card {n_badcard} was declined: invalid card number. Reference {n_ref}.",
    ),
    ("it", "team_chat", "nonce", "Il nonce della CSP è {n_nonce}, cambia a ogni richiesta."),
    ("pl", "team_chat", "cache_key", "Wyczyść klucz cache {n_cachekey}, bo pokazuje stare dane."),
    ("uk", "team_chat", "vault_accessor", "Accessor токена у Vault: {n_accessor} — це не сам токен, можна логувати."),
    ("tr", "support_ticket", "customer_id", "Müşteri numaram {n_custid}, faturam {n_invoice}."),
    ("el", "chat_message", "recaptcha_site_key", "Το site key του reCAPTCHA είναι {n_sitekey}, μπαίνει στο HTML."),
    ("he", "chat_message", "meeting_id", "מזהה הפגישה בזום: {n_meeting}"),
    ("hi", "support_ticket", "imei_number", "मेरा फ़ोन खो गया है, IMEI नंबर {n_imei} है।"),
    ("vi", "team_chat", "public_key", "Publishable key của Stripe: {n_pk}, để ở frontend được."),
    ("th", "chat_message", "username", "ชื่อผู้ใช้ของฉันคือ {n_user} แต่ลืมรหัสผ่าน"),
]

# ---------------------------------------------------------------- scanner
RX_IP4 = re.compile(r"(?<![\d.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\d)")
RX_DIGITS = re.compile(r"(?<!\d)\d+(?:[ -]\d+)*(?!\d)")
RX_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})")


def scan(text):
    """Return list of findings (kind, string) in text."""
    found = []
    for m in RX_IP4.finditer(text):
        octs = [int(x) for x in m.groups()]
        if all(o <= 255 for o in octs):
            s = ".".join(str(o) for o in octs)
            if ip_public(s):
                found.append(("ip", m.group(0)))
    for m in RX_DIGITS.finditer(text):
        groups = re.split(r"[ -]", m.group(0))
        for i in range(len(groups)):
            acc = ""
            for j in range(i, len(groups)):
                acc += groups[j]
                if len(acc) > 19:
                    break
                if len(acc) >= 13 and card_brand(acc) and luhn_ok(acc):
                    found.append(("card", acc))
            # also digit windows inside a single long group
        for g in groups:
            if len(g) > 19:
                for a in range(len(g)):
                    for n in range(13, 20):
                        w = g[a : a + n]
                        if len(w) == n and card_brand(w) and luhn_ok(w) and (a == 0 or a + n == len(g)):
                            found.append(("card", w))
    for m in RX_EMAIL.finditer(text):
        if not domain_reserved(m.group(1)):
            found.append(("email", m.group(0)))
    return found


def blank(text, spans):
    t = list(text)
    for sp in spans:
        for i in range(sp["start"], sp["end"]):
            t[i] = " "
    return "".join(t)


# ---------------------------------------------------------------- build
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
records = []
seen_texts = set()
lang_cycle = []


def next_lang():
    global lang_cycle
    if not lang_cycle:
        lang_cycle = LANGS[:]
        rng.shuffle(lang_cycle)
    return lang_cycle.pop()


def make(tid, lang, context, category, tmpl):
    for _ in range(200):
        text, spans = render(tmpl, lang)
        if text in seen_texts:
            continue
        if category == "positive" and not spans:
            raise AssertionError("positive template without spans: %r" % tmpl)
        if category != "positive" and spans:
            raise AssertionError("negative template with spans: %r" % tmpl)
        if scan(blank(text, spans)):
            continue
        seen_texts.add(text)
        return text, spans
    raise AssertionError("could not produce a clean unique record for template %d" % tid)


ALL_T = []
for t in POS:
    ALL_T.append(("positive", t[0], t[1], t[2] if len(t) > 2 else 5, None))
for t in NEG:
    ALL_T.append((t[0], t[1], t[2], 5, None))
for t in LANG_T:
    ALL_T.append((t[2], t[1], t[3], 2, t[0]))

for tid, (category, context, tmpl, nvar, fixed_lang) in enumerate(ALL_T, 1):
    if fixed_lang is None:
        assert any(k.lower() in KEYS for k in PH.findall(tmpl)), "structural template lacks a phrase slot: %r" % tmpl
    for vid in range(1, nvar + 1):
        lang = fixed_lang or next_lang()
        text, spans = make(tid, lang, context, category, tmpl)
        records.append(
            {
                "id": "t17-%d-%d" % (tid, vid),
                "text": text,
                "lang": lang,
                "context": context,
                "category": category,
                "spans": spans,
            }
        )

# ---------------------------------------------------------------- checks
ids = Counter(r["id"] for r in records)
assert max(ids.values()) == 1, "duplicate ids"
texts = Counter(r["text"] for r in records)
assert max(texts.values()) == 1, "duplicate texts"
ent_count = Counter()
for r in records:
    text, spans = r["text"], r["spans"]
    assert SNAKE.match(r["category"]) and SNAKE.match(r["context"]), r
    assert r["lang"] in PB
    if r["category"] == "positive":
        assert spans, r["id"]
    else:
        assert not spans, r["id"]
    prev_end = -1
    for sp in sorted(spans, key=lambda s: s["start"]):
        s, e, ent, val = sp["start"], sp["end"], sp["entity"], sp["_value"]
        assert 0 <= s < e <= len(text), r["id"]
        assert text[s:e] == val, (r["id"], text[s:e], val)
        assert s >= prev_end, ("overlap", r["id"])
        prev_end = e
        ent_count[ent] += 1
        if ent == "IP_ADDRESS":
            assert ip_public(val), (r["id"], val)
        elif ent == "CREDIT_CARD":
            d = re.sub(r"[ -]", "", val)
            assert d.isdigit() and luhn_ok(d) and card_brand(d), (r["id"], val)
        elif ent == "EMAIL_ADDRESS":
            assert RX_EMAIL.fullmatch(val) and not domain_reserved(val.split("@", 1)[1]), (r["id"], val)
        elif ent == "SECRET":
            low = val.lower()
            assert "example" not in low and "xxxx" not in low and "your_" not in low, (r["id"], val)
            assert val[-1] not in ".,!?:;", (r["id"], val)
            assert val[0].isalnum() or val.startswith("-----BEGIN "), (r["id"], val)
            if val.startswith("-----BEGIN"):
                assert re.fullmatch(
                    r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----\n[\s\S]+\n-----END \1PRIVATE KEY-----", val
                ), r["id"]
            if sp["_gen"] in PASSWORD_LIKE:
                assert len(val) >= 6 and has_letter_digit(val) or classes(val) >= 2, (r["id"], val)
                if sp["_gen"] != "PIN" and sp["_gen"] != "BC":
                    assert ok_password(val), (r["id"], val)
        else:
            raise AssertionError(ent)
    assert not scan(blank(text, spans)), (r["id"], scan(blank(text, spans)))

n_neg = sum(1 for r in records if r["category"] != "positive")
neg_cats = Counter(r["category"] for r in records if r["category"] != "positive")
assert ent_count["SECRET"] >= 600, ent_count
assert ent_count["EMAIL_ADDRESS"] >= 100 and ent_count["IP_ADDRESS"] >= 100 and ent_count["CREDIT_CARD"] >= 50, (
    ent_count
)
assert n_neg >= 450 and len(neg_cats) >= 25 and n_neg >= 0.4 * len(records), (n_neg, len(neg_cats))
assert len(ALL_T) >= 200
assert len(set(r["lang"] for r in records)) >= 40
assert 1000 <= len(records) <= 1300, len(records)

with open(OUT, "w", encoding="utf-8") as fh:
    for r in records:
        r = dict(r)
        r["spans"] = [{"start": s["start"], "end": s["end"], "entity": s["entity"]} for s in r["spans"]]
        fh.write(json.dumps(r, ensure_ascii=False) + "\n")

# ---------------------------------------------------------------- summary
print("wrote %s" % OUT)
print(
    "records: %d (positive %d, hard negative %d = %.1f%%), templates: %d"
    % (len(records), len(records) - n_neg, n_neg, 100.0 * n_neg / len(records), len(ALL_T))
)
print("spans per entity:", dict(sorted(ent_count.items())))
print("negative categories (%d):" % len(neg_cats), dict(sorted(neg_cats.items())))
langs = Counter(r["lang"] for r in records)
print("languages (%d):" % len(langs), dict(sorted(langs.items())))
print("contexts:", dict(sorted(Counter(r["context"] for r in records).items())))
