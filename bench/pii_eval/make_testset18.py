#!/usr/bin/env python3
"""Generator for PII evaluation set 18: tables and structured listings.

Writes ``pii_testset18.jsonl`` next to this file.  One JSON object per line:
``{"id", "text", "lang", "context", "category", "spans"}``; spans are
``{"start", "end", "entity"}`` with Python code-point offsets (end exclusive)
for EMAIL_ADDRESS, IP_ADDRESS, CREDIT_CARD and SECRET.

What it generates
-----------------
* Positive records: tables holding credentials and personal data, rendered in
  18 table formats (Markdown, HTML, MediaWiki, Confluence wiki, CSV with
  several delimiters, TSV, spreadsheet pastes, LaTeX tabular, JSON arrays,
  YAML lists, fixed-width reports, psql/mysql ASCII tables, AsciiDoc, XML,
  SQL INSERT dumps, key/value record blocks, reStructuredText simple tables,
  org-mode tables) for about 30 schemas (account lists, router/device
  inventories with admin passwords and WAN IPs, payment CSVs with cards, API
  key inventories with real vendor token formats, password-manager exports,
  Wi-Fi PSKs, DB connection strings with URL userinfo, K8s secret data,
  HTTP Basic/Bearer headers, access codes, ...), plus hand-written special
  templates (combo lists with : ; | , and TAB separators, password-manager
  CSV/XML/JSON exports, .netrc/.pgpass listings, service-account JSON with
  escaped private keys, YAML deploy keys with block-scalar private keys,
  docker auth files, curl command tables, Wi-Fi QR strings).
* Column headers and captions are localised in 13 languages
  (en de fr es it pt nl pl ru zh ja sv tr); the meaning of a value is often
  only given by a header row far above it.
* Hard negatives (>= 40 %): the same formats filled with SKUs, serial
  numbers, hashes, password hashes, object ids, usernames, order numbers,
  masked cards, private/documentation IPs, reserved-domain e-mails,
  publishable keys, OAuth client ids, placeholders, request/trace ids,
  CSRF tokens, wallets, EAN/IMEI/ISBN numbers, certificates, ... (more than
  40 categories).

All values are random (random.Random(1818)); no real person or key is used.
Offsets are recorded while the text is assembled (never searched afterwards).

Fatal checks (assert) run before writing
-----------------------------------------
* text[start:end] equals the inserted value for every span; spans are in
  range, sorted and do not overlap; positives have >= 1 span, negatives none.
* every labelled IP parses, is_global and is outside the documentation
  ranges; every labelled card is Luhn-valid with a real brand prefix/length;
  every labelled e-mail is on a non-reserved domain; labelled values never
  contain EXAMPLE/xxxx/your_ markers and never start/end with whitespace.
* labelled passwords: >= 8 chars, start alphanumeric, do not end in . , ! ? : ;
  and mix >= 2 character classes (or are 3+ word passphrases with digits);
  access codes are 6-8 chars mixing letters and digits.
* ids unique, texts unique; every record whose lang is not "en" contains at
  least one localised string (header, caption, note ...) of that language.
* a secret-shape scan (vendor prefixes, JWTs, AWS key ids, PEM private keys)
  over negative texts and unlabelled parts of positives finds nothing except
  documentation placeholders (EXAMPLE / xxxx / your_ markers).
* a simple scanner over every negative text and over the unlabelled parts of
  every positive text (spans masked) finds no public IPv4/IPv6 address, no
  Luhn-valid brand-prefixed card number (digit runs joined by single spaces
  or dashes, every contiguous group window of 12-19 digits) and no e-mail on a
  non-reserved domain.  There are no category-specific exceptions.
* size targets of the brief (record counts, spans per entity, negative share,
  number of negative categories and templates).
"""

import base64
import collections
import ipaddress
import json
import os
import random
import re
import string
import sys
import unicodedata

SEED = 1818
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii_testset18.jsonl")

LOW = string.ascii_lowercase
UP = string.ascii_uppercase
DIG = string.digits
ALNUM = LOW + UP + DIG
B64C = ALNUM + "+/"
B64U = ALNUM + "-_"
HEX = "0123456789abcdef"

LANGS = ["en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "zh", "ja", "sv", "tr"]

# ---------------------------------------------------------------------------
# Localised header labels: field = en | de | fr | es | it | pt | nl | pl | ru | zh | ja | sv | tr
# alternatives inside one language are separated by ';'
# ---------------------------------------------------------------------------
_T = """
name = Name;Full name | Name;Vollständiger Name | Nom;Nom complet | Nombre;Nombre completo | Nome;Nominativo | Nome;Nome completo | Naam;Volledige naam | Imię i nazwisko;Pracownik | ФИО;Имя | 姓名;员工姓名 | 氏名;名前 | Namn;Fullständigt namn | Ad Soyad;Çalışan
user = Username;Login;User | Benutzername;Benutzer;Login | Identifiant;Utilisateur | Usuario;Nombre de usuario | Utente;Nome utente | Usuário;Login | Gebruikersnaam;Gebruiker | Login;Nazwa użytkownika | Логин;Пользователь | 用户名;账号 | ユーザー名;ログインID | Användarnamn;Användare | Kullanıcı adı;Kullanıcı
email = Email;E-mail;Email address | E-Mail;E-Mail-Adresse | E-mail;Courriel;Adresse e-mail | Correo;Correo electrónico | E-mail;Indirizzo email | E-mail;Endereço de e-mail | E-mail;E-mailadres | E-mail;Adres e-mail | Email;Эл. почта | 邮箱;电子邮件 | メール;メールアドレス | E-post;E-postadress | E-posta;E-posta adresi
password = Password;Pass;PW | Passwort;Kennwort;PW | Mot de passe;MDP | Contraseña;Clave | Password;Parola d'accesso | Senha | Wachtwoord | Hasło | Пароль | 密码;口令 | パスワード | Lösenord | Şifre;Parola
temp_password = Initial password;Temporary password | Initialpasswort;Startpasswort | Mot de passe initial;Mot de passe temporaire | Contraseña inicial;Contraseña temporal | Password iniziale;Password temporanea | Senha inicial;Senha provisória | Startwachtwoord;Tijdelijk wachtwoord | Hasło startowe;Hasło tymczasowe | Начальный пароль;Временный пароль | 初始密码;临时密码 | 初期パスワード;仮パスワード | Startlösenord;Tillfälligt lösenord | İlk şifre;Geçici şifre
admin_user = Admin user;Admin login | Admin-Benutzer;Admin-Login | Utilisateur admin;Compte admin | Usuario admin;Usuario administrador | Utente admin;Utenza amministratore | Usuário admin;Login admin | Beheerder;Admin-gebruiker | Użytkownik admin;Login admina | Логин администратора;Админ | 管理员账号 | 管理者ID;管理ユーザー | Adminanvändare | Yönetici kullanıcı
admin_password = Admin password;Admin PW | Admin-Passwort;Admin-Kennwort | Mot de passe admin;MDP admin | Contraseña admin;Clave de administrador | Password admin;Password amministratore | Senha admin;Senha do administrador | Beheerwachtwoord;Admin-wachtwoord | Hasło admina;Hasło administratora | Пароль администратора;Пароль админа | 管理员密码;管理密码 | 管理者パスワード | Adminlösenord | Yönetici şifresi;Admin şifresi
host = Hostname;Host | Hostname;Rechnername | Nom d'hôte;Hôte | Nombre de host;Servidor | Nome host;Server | Nome do host;Servidor | Hostnaam;Server | Nazwa hosta;Serwer | Имя хоста;Сервер | 主机名;服务器 | ホスト名;サーバー | Värdnamn;Server | Sunucu adı;Sunucu
public_ip = IP address;Public IP | IP-Adresse;Öffentliche IP | Adresse IP;IP publique | Dirección IP;IP pública | Indirizzo IP;IP pubblico | Endereço IP;IP público | IP-adres;Publiek IP | Adres IP;Publiczny IP | IP-адрес;Внешний IP | IP地址;公网IP | IPアドレス;グローバルIP | IP-adress;Publik IP | IP adresi;Genel IP
wan_ip = WAN IP;WAN address | WAN-IP;WAN-Adresse | IP WAN;Adresse WAN | IP WAN;Dirección WAN | IP WAN;Indirizzo WAN | IP WAN;Endereço WAN | WAN-IP;WAN-adres | IP WAN;Adres WAN | WAN IP;Внешний адрес | WAN IP;外网地址 | WAN IP;WAN側アドレス | WAN-IP;WAN-adress | WAN IP;WAN adresi
lan_ip = LAN IP;Internal IP | LAN-IP;Interne IP | IP LAN;IP interne | IP LAN;IP interna | IP LAN;IP interno | IP LAN;IP interno | LAN-IP;Intern IP | IP LAN;Wewnętrzny IP | LAN IP;Внутренний IP | LAN IP;内网IP | LAN IP;LAN側アドレス | LAN-IP;Intern IP | LAN IP;İç IP
card = Card number;Card | Kartennummer;Karte | Numéro de carte;Carte | Número de tarjeta;Tarjeta | Numero carta;Carta | Número do cartão;Cartão | Kaartnummer;Kaart | Numer karty;Karta | Номер карты;Карта | 卡号;银行卡号 | カード番号 | Kortnummer;Kort | Kart numarası;Kart no
expiry = Expiry;Exp. | Gültig bis;Ablauf | Expiration;Date d'exp. | Vencimiento;Caducidad | Scadenza | Validade;Vencimento | Vervaldatum;Geldig tot | Data ważności;Ważna do | Срок действия | 有效期 | 有効期限 | Giltig till;Utgång | Son kullanma;SKT
amount = Amount | Betrag | Montant | Importe | Importo | Valor | Bedrag | Kwota | Сумма | 金额 | 金額 | Belopp | Tutar
currency = Currency | Währung | Devise | Moneda | Valuta | Moeda | Valuta | Waluta | Валюта | 币种 | 通貨 | Valuta | Para birimi
service = Service;System | Dienst;System | Service;Système | Servicio;Sistema | Servizio;Sistema | Serviço;Sistema | Dienst;Systeem | Usługa;System | Сервис;Система | 服务;系统 | サービス;システム | Tjänst;System | Hizmet;Sistem
api_key = API key;Key;Token | API-Schlüssel;Schlüssel;Token | Clé API;Clé;Jeton | Clave API;Clave;Token | Chiave API;Chiave;Token | Chave de API;Chave;Token | API-sleutel;Sleutel;Token | Klucz API;Klucz;Token | API-ключ;Ключ;Токен | API密钥;密钥;令牌 | APIキー;キー;トークン | API-nyckel;Nyckel;Token | API anahtarı;Anahtar;Token
notes = Notes;Comment | Notizen;Bemerkung | Remarques;Commentaire | Notas;Comentario | Note;Commento | Observações;Notas | Opmerkingen;Notitie | Uwagi;Komentarz | Примечание;Комментарий | 备注;说明 | 備考;メモ | Anteckningar;Kommentar | Notlar;Açıklama
url = URL;Website | URL;Webseite | URL;Site | URL;Sitio web | URL;Sito | URL;Site | URL;Website | URL;Strona | URL;Сайт | 网址;URL | URL;サイト | URL;Webbplats | URL;Web sitesi
role = Role | Rolle | Rôle | Rol | Ruolo | Função;Perfil | Rol | Rola | Роль | 角色 | 役割;権限 | Roll | Rol
date = Date | Datum | Date | Fecha | Data | Data | Datum | Data | Дата | 日期 | 日付 | Datum | Tarih
created = Created;Created at | Erstellt;Angelegt am | Créé le;Création | Creado;Fecha de alta | Creato;Data creazione | Criado em | Aangemaakt | Utworzono;Data utworzenia | Создан;Дата создания | 创建时间 | 作成日 | Skapad | Oluşturulma
status = Status | Status | Statut | Estado | Stato | Status;Situação | Status | Status | Статус | 状态 | ステータス;状態 | Status | Durum
psk = Wi-Fi password;WPA key;PSK | WLAN-Schlüssel;WLAN-Passwort;PSK | Clé Wi-Fi;Mot de passe Wi-Fi;Clé WPA | Clave Wi-Fi;Contraseña WiFi | Password Wi-Fi;Chiave WPA | Senha do Wi-Fi;Chave WPA | Wifi-wachtwoord;WPA-sleutel | Hasło Wi-Fi;Klucz WPA | Пароль Wi-Fi;Ключ WPA | WiFi密码;无线密码 | Wi-Fiパスワード;暗号化キー | Wifi-lösenord;WPA-nyckel | Wi-Fi şifresi;WPA anahtarı
security = Security;Encryption | Sicherheit;Verschlüsselung | Sécurité;Chiffrement | Seguridad;Cifrado | Sicurezza;Crittografia | Segurança;Criptografia | Beveiliging;Versleuteling | Zabezpieczenia;Szyfrowanie | Защита;Шифрование | 加密方式 | 暗号化方式 | Säkerhet;Kryptering | Güvenlik;Şifreleme
location = Location;Site | Standort;Filiale | Site;Emplacement | Ubicación;Sede | Sede;Ubicazione | Local;Unidade | Locatie;Vestiging | Lokalizacja;Oddział | Расположение;Площадка | 位置;站点 | 拠点;設置場所 | Plats;Kontor | Konum;Şube
model = Model | Modell | Modèle | Modelo | Modello | Modelo | Model;Type | Model | Модель | 型号 | 機種;型番 | Modell | Model
serial = Serial number;S/N | Seriennummer;S/N | Numéro de série;N° série | Número de serie;N.º serie | Numero di serie;Matricola | Número de série;N.º série | Serienummer | Numer seryjny;S/N | Серийный номер;S/N | 序列号;SN | シリアル番号;製造番号 | Serienummer | Seri numarası;Seri no
sku = SKU;Item no. | Artikelnummer;Art.-Nr. | Référence;Réf. article | Referencia;SKU | Codice articolo;SKU | SKU;Código do produto | Artikelnummer;SKU | Kod produktu;Indeks | Артикул | 货号;SKU | 品番;商品コード | Artikelnummer | Stok kodu;Ürün kodu
price = Price;Unit price | Preis;Einzelpreis | Prix;Prix unitaire | Precio;Precio unitario | Prezzo;Prezzo unitario | Preço;Preço unitário | Prijs;Stukprijs | Cena;Cena jedn. | Цена | 价格;单价 | 価格;単価 | Pris;Styckpris | Fiyat;Birim fiyat
qty = Qty;Quantity | Menge;Anzahl | Qté;Quantité | Cantidad;Uds. | Quantità;Q.tà | Qtd.;Quantidade | Aantal | Ilość;Szt. | Кол-во;Количество | 数量 | 数量 | Antal | Adet;Miktar
order = Order no.;Order | Bestellnr.;Auftrag | N° de commande;Commande | N.º de pedido;Pedido | N. ordine;Ordine | N.º do pedido;Pedido | Bestelnummer;Order | Nr zamówienia;Zamówienie | Номер заказа;Заказ | 订单号 | 注文番号 | Ordernr;Order | Sipariş no;Sipariş
version = Version | Version | Version | Versión | Versione | Versão | Versie | Wersja | Версия | 版本 | バージョン | Version | Sürüm
file = File | Datei | Fichier | Archivo | File | Arquivo | Bestand | Plik | Файл | 文件 | ファイル | Fil | Dosya
description = Description | Beschreibung;Bezeichnung | Description;Désignation | Descripción | Descrizione | Descrição | Omschrijving | Opis;Nazwa | Описание;Наименование | 描述;名称 | 説明;品名 | Beskrivning | Açıklama;Ürün
customer = Customer;Cardholder | Kunde;Karteninhaber | Client;Titulaire | Cliente;Titular | Cliente;Titolare | Cliente;Titular | Klant;Kaarthouder | Klient;Posiadacz karty | Клиент;Держатель карты | 客户;持卡人 | 顧客;カード名義 | Kund;Kortinnehavare | Müşteri;Kart sahibi
phone = Phone | Telefon | Téléphone | Teléfono | Telefono | Telefone | Telefoon | Telefon | Телефон | 电话 | 電話番号 | Telefon | Telefon
city = City | Stadt;Ort | Ville | Ciudad | Città | Cidade | Plaats;Stad | Miasto | Город | 城市 | 都市;市区町村 | Ort;Stad | Şehir
department = Department | Abteilung | Service;Département | Departamento | Reparto;Ufficio | Departamento;Setor | Afdeling | Dział | Отдел | 部门 | 部署 | Avdelning | Departman;Birim
device = Device | Gerät | Appareil;Équipement | Dispositivo;Equipo | Dispositivo;Apparato | Dispositivo;Equipamento | Apparaat | Urządzenie | Устройство | 设备 | 機器 | Enhet | Cihaz
code = Access code;Code | Zugangscode;Türcode | Code d'accès;Code | Código de acceso;Código | Codice di accesso;Codice | Código de acesso;Código | Toegangscode;Code | Kod dostępu;Kod | Код доступа;Код | 门禁码;访问码 | アクセスコード;暗証コード | Åtkomstkod;Kod | Erişim kodu;Kod
room = Room;Door | Raum;Tür | Salle;Porte | Sala;Puerta | Stanza;Porta | Sala;Porta | Ruimte;Deur | Pomieszczenie;Drzwi | Помещение;Дверь | 房间;门 | 部屋;扉 | Rum;Dörr | Oda;Kapı
valid_until = Valid until | Gültig bis | Valable jusqu'au | Válido hasta | Valido fino al | Válido até | Geldig tot | Ważny do | Действует до | 有效期至 | 有効期限 | Giltig till | Geçerlilik
mac = MAC address;MAC | MAC-Adresse;MAC | Adresse MAC;MAC | Dirección MAC;MAC | Indirizzo MAC;MAC | Endereço MAC;MAC | MAC-adres;MAC | Adres MAC;MAC | MAC-адрес | MAC地址 | MACアドレス | MAC-adress | MAC adresi
port = Port | Port | Port | Puerto | Porta | Porta | Poort | Port | Порт | 端口 | ポート | Port | Port
total = Total | Summe;Gesamt | Total | Total | Totale | Total | Totaal | Suma;Razem | Итого | 合计 | 合計 | Summa | Toplam
region = Region | Region | Région | Región | Regione | Região | Regio | Region | Регион | 区域 | リージョン | Region | Bölge
env = Environment;Env | Umgebung | Environnement | Entorno | Ambiente | Ambiente | Omgeving | Środowisko | Окружение;Среда | 环境 | 環境 | Miljö | Ortam
connection = Connection string;DSN | Verbindungszeichenfolge;DSN | Chaîne de connexion;DSN | Cadena de conexión;DSN | Stringa di connessione;DSN | String de conexão;DSN | Verbindingsreeks;DSN | Ciąg połączenia;DSN | Строка подключения;DSN | 连接串;DSN | 接続文字列;DSN | Anslutningssträng;DSN | Bağlantı dizesi;DSN
expires = Expires | Läuft ab;Ablauf | Expire le | Caduca | Scade il | Expira em | Verloopt | Wygasa | Истекает | 过期时间 | 有効期限 | Går ut | Bitiş
last_login = Last login | Letzte Anmeldung | Dernière connexion | Último acceso | Ultimo accesso | Último acesso | Laatste login | Ostatnie logowanie | Последний вход | 最后登录 | 最終ログイン | Senaste inloggning | Son giriş
carrier = Carrier | Versanddienst;Spediteur | Transporteur | Transportista | Corriere | Transportadora | Vervoerder | Przewoźnik | Перевозчик | 承运商 | 配送業者 | Transportör | Kargo firması
tracking = Tracking no. | Sendungsnummer | N° de suivi | N.º de seguimiento | Codice tracking | Código de rastreio | Trackingnummer | Numer przesyłki | Трек-номер | 运单号 | 追跡番号 | Spårningsnummer | Takip no
title = Title;Entry | Titel;Eintrag | Titre;Entrée | Título;Entrada | Titolo;Voce | Título;Item | Titel;Item | Tytuł;Wpis | Название;Запись | 标题;条目 | タイトル;項目 | Titel;Post | Başlık;Kayıt
size = Size | Größe | Taille | Tamaño | Dimensione | Tamanho | Grootte | Rozmiar | Размер | 大小 | サイズ | Storlek | Boyut
event = Event | Termin;Veranstaltung | Événement | Evento | Evento | Evento | Evenement;Afspraak | Wydarzenie | Событие;Мероприятие | 事件;活动 | イベント;予定 | Händelse | Etkinlik
time = Time | Uhrzeit;Zeit | Heure | Hora | Ora | Hora | Tijd | Godzina | Время | 时间 | 時刻 | Tid | Saat
account = Account | Konto | Compte | Cuenta | Account | Conta | Account | Konto | Учётная запись | 账户 | アカウント | Konto | Hesap
product = Product | Produkt;Artikel | Produit;Article | Producto;Artículo | Prodotto;Articolo | Produto | Product | Produkt;Towar | Товар | 商品;产品 | 商品 | Produkt;Artikel | Ürün
tax = VAT;Tax | MwSt. | TVA | IVA | IVA | IVA;Imposto | BTW | VAT | НДС | 税额 | 消費税 | Moms | KDV
stock = Stock;On hand | Bestand;Lager | Stock | Existencias;Stock | Giacenza | Estoque | Voorraad | Stan magazynowy | Остаток | 库存 | 在庫 | Lager | Stok
warranty = Warranty until | Garantie bis | Garantie jusqu'au | Garantía hasta | Garanzia fino al | Garantia até | Garantie tot | Gwarancja do | Гарантия до | 保修期至 | 保証期限 | Garanti till | Garanti bitişi
purchase_date = Purchased | Kaufdatum | Date d'achat | Fecha de compra | Data acquisto | Data de compra | Aankoopdatum | Data zakupu | Дата покупки | 购买日期 | 購入日 | Inköpsdatum | Satın alma tarihi
subject = Subject | Fach | Matière | Asignatura | Materia | Disciplina | Vak | Przedmiot | Предмет | 科目 | 科目 | Ämne | Ders
grade = Grade | Note | Note | Nota | Voto | Nota | Cijfer | Ocena | Оценка | 成绩 | 成績 | Betyg | Not
population = Population | Einwohner | Population | Población | Abitanti | População | Inwoners | Ludność | Население | 人口 | 人口 | Invånare | Nüfus
reading = Reading;Value | Messwert | Mesure;Valeur | Lectura;Valor | Lettura;Valore | Leitura;Valor | Meetwaarde | Odczyt | Показание | 读数 | 測定値 | Mätvärde | Okuma
unit = Unit | Einheit | Unité | Unidad | Unità | Unidade | Eenheid | Jednostka | Ед. изм. | 单位 | 単位 | Enhet | Birim
sensor = Sensor | Sensor;Fühler | Capteur | Sensor | Sensore | Sensor | Sensor | Czujnik | Датчик | 传感器 | センサー | Sensor | Sensör
author = Author | Autor | Auteur | Autor | Autore | Autor | Auteur | Autor | Автор | 作者 | 作成者 | Författare | Yazar
message = Message | Nachricht | Message | Mensaje | Messaggio | Mensagem | Bericht | Wiadomość | Сообщение | 提交说明 | メッセージ | Meddelande | Mesaj
app = Application;App | Anwendung;App | Application | Aplicación | Applicazione | Aplicação | Applicatie | Aplikacja | Приложение | 应用 | アプリ | Applikation | Uygulama
latitude = Latitude | Breitengrad | Latitude | Latitud | Latitudine | Latitude | Breedtegraad | Szerokość | Широта | 纬度 | 緯度 | Latitud | Enlem
longitude = Longitude | Längengrad | Longitude | Longitud | Longitudine | Longitude | Lengtegraad | Długość | Долгота | 经度 | 経度 | Longitud | Boylam
release_date = Release date | Veröffentlicht | Date de sortie | Fecha de publicación | Data di rilascio | Data de lançamento | Releasedatum | Data wydania | Дата выпуска | 发布日期 | リリース日 | Releasedatum | Yayın tarihi
last_change = Last changed | Zuletzt geändert | Dernière modification | Última modificación | Ultima modifica | Última alteração | Laatst gewijzigd | Ostatnia zmiana | Последнее изменение | 最后修改 | 最終更新 | Senast ändrad | Son değişiklik
extension = Extension | Durchwahl | Poste | Extensión | Interno | Ramal | Toestel | Numer wewnętrzny | Добавочный | 分机 | 内線 | Anknytning | Dahili
"""

# English labels for fields that are never localised (technical terms)
EN_FB = {
    "ssid": "SSID",
    "vlan": "VLAN",
    "firmware": "Firmware",
    "os": "OS",
    "access_key_id": "Access key ID",
    "secret_access_key": "Secret access key",
    "endpoint": "Endpoint",
    "signing_secret": "Signing secret",
    "client_ip": "Client IP",
    "session": "Session token",
    "last_seen": "Last seen",
    "user_agent": "User agent",
    "customer_no": "Customer ID",
    "rule": "Rule",
    "cidr": "Source",
    "auth_header": "Authorization",
    "namespace": "Namespace",
    "secret_name": "Secret",
    "data_key": "Key",
    "data_value": "data (base64)",
    "mailbox": "Mailbox",
    "imap_host": "IMAP server",
    "quota": "Quota",
    "txn": "Transaction ID",
    "score": "Risk score",
    "variable": "Variable",
    "value": "Value",
    "path": "Path",
    "camera": "Camera",
    "exchange": "Exchange",
    "api_secret": "API secret",
    "permissions": "Permissions",
    "platform": "Platform",
    "handle": "Handle",
    "recovery_code": "Recovery code",
    "relay": "SMTP relay",
    "client": "Client",
    "jwt": "Access token",
    "gateway": "VPN gateway",
    "tunnel_ip": "Tunnel IP",
    "cvv": "CVV",
    "scope": "Scopes",
    "login": "Login",
    "modified": "Modified",
    "title": "Title",
    "checksum": "SHA-256",
    "password_hash": "Password hash",
    "algorithm": "Algorithm",
    "object_id": "_id",
    "collection": "Collection",
    "card_masked": "Card",
    "doc_ip": "IP",
    "email_reserved": "Email",
    "publishable_key": "Publishable key",
    "client_id": "Client ID",
    "redirect_uri": "Redirect URI",
    "password_placeholder": "Password",
    "timestamp": "Timestamp",
    "request_id": "Request ID",
    "trace_id": "Trace ID",
    "status_code": "HTTP",
    "latency": "Latency (ms)",
    "page": "Form",
    "csrf": "CSRF token",
    "nonce": "Nonce",
    "release": "Release",
    "commit": "Commit",
    "network": "Network",
    "wallet": "Wallet address",
    "isbn": "ISBN",
    "accessor": "Accessor",
    "policy": "Policy",
    "ttl": "TTL",
    "cache_key": "Cache key",
    "hits": "Hits",
    "pubkey": "Public key",
    "author_user": "Author",
    "value_ref": "Value",
    "site": "Site",
    "site_key": "Site key",
    "payment_id": "Payment ID",
    "idempotency_key": "Idempotency key",
    "domain": "Domain",
    "issuer": "Issuer",
    "fingerprint": "SHA-256 fingerprint",
    "example_value": "Value",
    "masked_key": "Key",
    "last_used": "Last used",
    "ean": "EAN",
    "imei": "IMEI",
    "student_id": "Student ID",
    "record_type": "Type",
    "target": "Target",
    "package": "Package",
    "latest": "Latest",
    "sys": "System",
    "ci_var": "Variable",
    "ci_value": "Value",
    "protected": "Protected",
    "record_name": "Name",
    "phone_model": "Model",
    "pin_label": "Label",
    "login_url": "Login URL",
}

CAPTIONS = """
accounts = User accounts and initial passwords | Benutzerkonten mit Startpasswörtern | Comptes utilisateurs et mots de passe initiaux | Cuentas de usuario y contraseñas iniciales | Account utente e password iniziali | Contas de usuário e senhas iniciais | Gebruikersaccounts en startwachtwoorden | Konta użytkowników i hasła startowe | Учётные записи и начальные пароли | 用户账号及初始密码 | ユーザーアカウントと初期パスワード | Användarkonton och startlösenord | Kullanıcı hesapları ve ilk şifreler
network = Network equipment inventory | Inventar der Netzwerkgeräte | Inventaire des équipements réseau | Inventario de equipos de red | Inventario apparati di rete | Inventário de equipamentos de rede | Inventaris netwerkapparatuur | Inwentarz urządzeń sieciowych | Инвентаризация сетевого оборудования | 网络设备清单 | ネットワーク機器一覧 | Inventering av nätverksutrustning | Ağ cihazları envanteri
servers = Server access list | Zugangsdaten Server | Accès aux serveurs | Accesos a servidores | Accessi ai server | Acessos aos servidores | Toegang tot servers | Dostępy do serwerów | Доступы к серверам | 服务器访问清单 | サーバー接続情報 | Serveråtkomst | Sunucu erişim listesi
payments = Card payments export | Export der Kartenzahlungen | Export des paiements par carte | Exportación de pagos con tarjeta | Esportazione pagamenti con carta | Exportação de pagamentos com cartão | Export kaartbetalingen | Eksport płatności kartą | Выгрузка платежей по картам | 银行卡支付导出 | カード決済エクスポート | Export av kortbetalningar | Kartlı ödemeler dışa aktarımı
keys = API credentials per service | API-Zugangsdaten je Dienst | Identifiants API par service | Credenciales API por servicio | Credenziali API per servizio | Credenciais de API por serviço | API-gegevens per dienst | Dane dostępowe API według usług | API-доступы по сервисам | 各服务API凭据 | サービス別APIクレデンシャル | API-uppgifter per tjänst | Hizmet bazında API kimlik bilgileri
vault = Password vault export | Export aus dem Passwort-Tresor | Export du coffre-fort de mots de passe | Exportación del gestor de contraseñas | Esportazione del gestore password | Exportação do cofre de senhas | Export uit de wachtwoordkluis | Eksport z menedżera haseł | Экспорт из менеджера паролей | 密码库导出 | パスワード管理ツールのエクスポート | Export från lösenordshanteraren | Parola kasası dışa aktarımı
wifi = Wi-Fi networks per site | WLAN-Netze je Standort | Réseaux Wi-Fi par site | Redes Wi-Fi por sede | Reti Wi-Fi per sede | Redes Wi-Fi por unidade | Wifi-netwerken per locatie | Sieci Wi-Fi w oddziałach | Сети Wi-Fi по площадкам | 各站点WiFi网络 | 拠点別Wi-Fiネットワーク | Wifi-nätverk per kontor | Şube bazında Wi-Fi ağları
vpn = VPN users | VPN-Benutzer | Utilisateurs VPN | Usuarios de VPN | Utenti VPN | Usuários de VPN | VPN-gebruikers | Użytkownicy VPN | Пользователи VPN | VPN用户 | VPNユーザー | VPN-användare | VPN kullanıcıları
sessions = Active sessions | Aktive Sitzungen | Sessions actives | Sesiones activas | Sessioni attive | Sessões ativas | Actieve sessies | Aktywne sesje | Активные сессии | 活动会话 | アクティブなセッション | Aktiva sessioner | Aktif oturumlar
customers = Customer list | Kundenliste | Liste des clients | Listado de clientes | Elenco clienti | Lista de clientes | Klantenlijst | Lista klientów | Список клиентов | 客户名单 | 顧客リスト | Kundlista | Müşteri listesi
codes = Door and alarm codes | Tür- und Alarmcodes | Codes des portes et de l'alarme | Códigos de puertas y alarma | Codici porte e allarme | Códigos de portas e alarme | Deur- en alarmcodes | Kody do drzwi i alarmu | Коды дверей и сигнализации | 门禁与报警密码 | 扉と警報のコード | Dörr- och larmkoder | Kapı ve alarm kodları
mail = Mailbox credentials | Zugangsdaten Postfächer | Identifiants des boîtes mail | Credenciales de buzones | Credenziali caselle di posta | Credenciais das caixas de correio | Inloggegevens mailboxen | Dane logowania skrzynek | Доступы к почтовым ящикам | 邮箱账号信息 | メールボックスの認証情報 | Inloggningsuppgifter för brevlådor | Posta kutusu bilgileri
onboarding = New starters this month | Neue Mitarbeitende diesen Monat | Nouveaux arrivants ce mois-ci | Incorporaciones de este mes | Nuovi assunti del mese | Novos colaboradores deste mês | Nieuwe medewerkers deze maand | Nowi pracownicy w tym miesiącu | Новые сотрудники этого месяца | 本月新员工 | 今月の新入社員 | Nyanställda denna månad | Bu ayın yeni çalışanları
catalog = Product catalogue | Artikelkatalog | Catalogue produits | Catálogo de productos | Catalogo prodotti | Catálogo de produtos | Productcatalogus | Katalog produktów | Каталог товаров | 商品目录 | 商品カタログ | Produktkatalog | Ürün kataloğu
assets = Asset register | Inventarliste | Registre des actifs | Registro de activos | Registro cespiti | Registro de ativos | Activaregister | Rejestr środków trwałych | Реестр оборудования | 资产登记表 | 資産台帳 | Inventarieförteckning | Demirbaş listesi
orders = Order overview | Bestellübersicht | Récapitulatif des commandes | Resumen de pedidos | Riepilogo ordini | Resumo de pedidos | Orderoverzicht | Przegląd zamówień | Обзор заказов | 订单概览 | 注文一覧 | Orderöversikt | Sipariş özeti
report = Weekly report | Wochenbericht | Rapport hebdomadaire | Informe semanal | Report settimanale | Relatório semanal | Weekrapport | Raport tygodniowy | Еженедельный отчёт | 周报 | 週次レポート | Veckorapport | Haftalık rapor
audit = Security audit appendix | Anhang zum Sicherheitsaudit | Annexe de l'audit de sécurité | Anexo de la auditoría de seguridad | Allegato all'audit di sicurezza | Anexo da auditoria de segurança | Bijlage bij de beveiligingsaudit | Załącznik do audytu bezpieczeństwa | Приложение к аудиту безопасности | 安全审计附录 | セキュリティ監査の付録 | Bilaga till säkerhetsrevisionen | Güvenlik denetimi eki
dev = Developer handbook reference table | Referenztabelle aus dem Entwicklerhandbuch | Tableau de référence du guide développeur | Tabla de referencia del manual de desarrollo | Tabella di riferimento del manuale sviluppatori | Tabela de referência do manual do desenvolvedor | Referentietabel uit het ontwikkelaarshandboek | Tabela referencyjna z podręcznika programisty | Справочная таблица из руководства разработчика | 开发手册参考表 | 開発者ハンドブックの参照表 | Referenstabell ur utvecklarhandboken | Geliştirici el kitabı başvuru tablosu
directory = Internal directory | Internes Verzeichnis | Annuaire interne | Directorio interno | Rubrica interna | Diretório interno | Interne gids | Katalog wewnętrzny | Внутренний справочник | 内部通讯录 | 社内名簿 | Intern katalog | Dahili rehber
logs = Log extract | Log-Auszug | Extrait des journaux | Extracto de registros | Estratto dei log | Extrato de logs | Logfragment | Wyciąg z logów | Выдержка из журнала | 日志摘录 | ログ抜粋 | Loggutdrag | Günlük kesiti
conf = Confidential - internal use only | Vertraulich - nur für den internen Gebrauch | Confidentiel - usage interne uniquement | Confidencial - solo uso interno | Riservato - solo uso interno | Confidencial - apenas uso interno | Vertrouwelijk - alleen intern gebruik | Poufne - wyłącznie do użytku wewnętrznego | Конфиденциально - только для внутреннего использования | 机密 - 仅限内部使用 | 社外秘 - 社内利用限定 | Konfidentiellt - endast för internt bruk | Gizli - yalnızca dahili kullanım
change = Please change the password after the first login | Bitte das Passwort nach der ersten Anmeldung ändern | Merci de changer le mot de passe après la première connexion | Cambiad la contraseña tras el primer acceso | Cambiare la password dopo il primo accesso | Altere a senha após o primeiro acesso | Wijzig het wachtwoord na de eerste login | Prosimy zmienić hasło po pierwszym logowaniu | Смените пароль после первого входа | 首次登录后请修改密码 | 初回ログイン後にパスワードを変更してください | Byt lösenord efter första inloggningen | İlk girişten sonra şifrenizi değiştirin
generated = Generated automatically, do not edit | Automatisch erzeugt, bitte nicht bearbeiten | Généré automatiquement, ne pas modifier | Generado automáticamente, no editar | Generato automaticamente, non modificare | Gerado automaticamente, não editar | Automatisch gegenereerd, niet bewerken | Wygenerowano automatycznie, nie edytować | Сформировано автоматически, не редактировать | 自动生成，请勿编辑 | 自動生成のため編集しないでください | Automatiskt genererad, redigera inte | Otomatik oluşturuldu, düzenlemeyin
"""

NOTES = """
en = rotate quarterly | shared with facilities | owner on leave | migrated from old NAS | temporary, remove after audit | used by the night shift
de = quartalsweise rotieren | mit Haustechnik geteilt | Verantwortlicher im Urlaub | vom alten NAS übernommen | temporär, nach Audit löschen | für die Nachtschicht
fr = rotation trimestrielle | partagé avec les services généraux | responsable en congé | repris de l'ancien NAS | temporaire, à supprimer après l'audit | utilisé par l'équipe de nuit
es = rotar cada trimestre | compartido con mantenimiento | responsable de vacaciones | migrado del NAS antiguo | temporal, borrar tras la auditoría | lo usa el turno de noche
it = ruotare ogni trimestre | condiviso con la manutenzione | responsabile in ferie | migrato dal vecchio NAS | temporaneo, eliminare dopo l'audit | usato dal turno di notte
pt = trocar a cada trimestre | compartilhado com a manutenção | responsável de férias | migrado do NAS antigo | temporário, remover após a auditoria | usado pelo turno da noite
nl = elk kwartaal wijzigen | gedeeld met facilitair | eigenaar met verlof | overgezet van oude NAS | tijdelijk, na audit verwijderen | voor de nachtdienst
pl = zmieniać co kwartał | współdzielone z administracją | właściciel na urlopie | przeniesione ze starego NAS | tymczasowe, usunąć po audycie | używane przez nocną zmianę
ru = менять раз в квартал | общий с АХО | ответственный в отпуске | перенесено со старого NAS | временно, удалить после аудита | для ночной смены
zh = 每季度更换 | 与行政部共用 | 负责人休假中 | 从旧NAS迁移 | 临时使用，审计后删除 | 夜班使用
ja = 四半期ごとに変更 | 総務と共用 | 担当者休暇中 | 旧NASから移行 | 一時利用、監査後に削除 | 夜勤用
sv = byts varje kvartal | delas med fastighet | ansvarig på semester | flyttad från gamla NAS | tillfällig, ta bort efter revision | används av nattskiftet
tr = üç ayda bir değiştir | idari işlerle ortak | sorumlu izinde | eski NAS'tan taşındı | geçici, denetimden sonra sil | gece vardiyası kullanıyor
"""


def _parse_multi(src):
    out = {l: {} for l in LANGS}
    for line in src.strip().splitlines():
        key, vals = line.split("=", 1)
        parts = [p.strip() for p in vals.split("|")]
        assert len(parts) == len(LANGS), (key, len(parts))
        for lang, p in zip(LANGS, parts):
            out[lang][key.strip()] = [a.strip() for a in p.split(";")]
    return out


T = _parse_multi(_T)
CAP = _parse_multi(CAPTIONS)
NOTE = {}
for _line in NOTES.strip().splitlines():
    _k, _v = _line.split("=", 1)
    NOTE[_k.strip()] = [x.strip() for x in _v.split("|")]
    assert len(NOTE[_k.strip()]) == 6

# ---------------------------------------------------------------------------
# Scanners / validators (used for fatal checks and to re-roll unlabelled values)
# ---------------------------------------------------------------------------
DOC_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")]
RESERVED_SUFFIXES = (".test", ".invalid", ".localhost", ".example")
RESERVED_DOMAINS = ("example.com", "example.org", "example.net")


def luhn_ok(d):
    s = 0
    for i, ch in enumerate(reversed(d)):
        x = int(ch)
        if i % 2 == 1:
            x *= 2
            if x > 9:
                x -= 9
        s += x
    return s % 10 == 0


def brand_ok(d):
    n = len(d)
    if n < 12 or n > 19:
        return False
    p2, p3, p4, p6 = int(d[:2]), int(d[:3]), int(d[:4]), int(d[:6])
    if d[0] == "4" and n in (13, 16, 19):
        return True
    if (51 <= p2 <= 55 or 2221 <= p4 <= 2720) and n == 16:
        return True
    if p2 in (34, 37) and n == 15:
        return True
    if (p4 == 6011 or p2 == 65 or 644 <= p3 <= 649 or 622126 <= p6 <= 622925) and 16 <= n <= 19:
        return True
    if 3528 <= p4 <= 3589 and 16 <= n <= 19:
        return True
    if (300 <= p3 <= 305 or p2 in (36, 38, 39)) and 14 <= n <= 19:
        return True
    if p2 == 62 and 16 <= n <= 19:
        return True
    if 2200 <= p4 <= 2204 and 16 <= n <= 19:
        return True
    if p4 in (5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763) and 12 <= n <= 19:
        return True
    return False


def is_card(d):
    return d.isdigit() and brand_ok(d) and luhn_ok(d)


_RUN = re.compile(r"\d+(?:[ -]\d+)*")


def find_cards(text):
    hits = []
    for m in _RUN.finditer(text):
        groups = re.split(r"[ -]", m.group())
        for i in range(len(groups)):
            tot = 0
            for j in range(i, len(groups)):
                tot += len(groups[j])
                if tot > 19:
                    break
                if tot >= 12:
                    d = "".join(groups[i : j + 1])
                    if is_card(d):
                        hits.append(d)
    return hits


def ip_public(s):
    try:
        a = ipaddress.ip_address(s)
    except ValueError:
        return False
    if any(a in n for n in DOC_NETS if n.version == a.version):
        return False
    return a.is_global and not a.is_multicast


_IP4 = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?!\.?\d)")
_IP6 = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(?![0-9A-Za-z])")


def find_ips(text):
    hits = [m.group(1) for m in _IP4.finditer(text) if ip_public(m.group(1))]
    for m in _IP6.finditer(text):
        tok = m.group()
        if tok.count(":") < 2:
            continue
        for cand in (tok, tok.strip(":."), tok.rstrip(".")):
            if ":" in cand and ip_public(cand):
                hits.append(cand)
                break
    return hits


_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")


def domain_reserved(dom):
    dom = dom.lower().rstrip(".")
    if any(dom == d or dom.endswith("." + d) for d in RESERVED_DOMAINS):
        return True
    if dom in ("test", "invalid", "localhost", "example"):
        return True
    return dom.endswith(RESERVED_SUFFIXES)


def find_emails(text):
    return [m.group() for m in _EMAIL.finditer(text) if not domain_reserved(m.group(1))]


def scan(text):
    return find_cards(text) + find_ips(text) + find_emails(text)


def clean_plain(s):
    """True if an unlabelled value would not trip the scanner on its own."""
    return not scan(s)


# ---------------------------------------------------------------------------
# Random helpers
# ---------------------------------------------------------------------------
class Gen:
    def __init__(self, rng):
        self.r = rng

    def s(self, chars, n):
        return "".join(self.r.choice(chars) for _ in range(n))

    def alnum(self, n):
        return self.s(ALNUM, n)

    def hexs(self, n):
        return self.s(HEX, n)

    def digits(self, n):
        return self.s(DIG, n)


def b64(bs):
    return base64.b64encode(bs).decode()


def b64url_nopad(bs):
    return base64.urlsafe_b64encode(bs).decode().rstrip("=")


def rbytes(rng, n):
    return bytes(rng.randrange(256) for _ in range(n))


BAD_MARKERS = ("example", "xxxx", "your_", "yourkey", "changeme")


def marker_free(v):
    lv = v.lower()
    return not any(m in lv for m in BAD_MARKERS)


# ---------------------------------------------------------------------------
# People, e-mail addresses
# ---------------------------------------------------------------------------
NAMES = {
    "en": (
        "Oliver Amelia Jack Isla Harry Grace Noah Chloe Ethan Megan Callum Rosie",
        "Thompson Walker Hughes Bennett Foster Carter Hayes Morgan Price Reid Holloway Pritchard",
    ),
    "de": (
        "Lukas Anna Jonas Lea Felix Marie Tobias Sophie Maximilian Johanna Henrik Greta",
        "Müller Schneider Fischer Weber Becker Hoffmann Schäfer Koch Richter Wolf Brandt Köhler",
    ),
    "fr": (
        "Louis Camille Hugo Léa Jules Manon Théo Chloé Lucas Inès Bastien Margaux",
        "Martin Bernard Dubois Lefèvre Moreau Laurent Girard Roux Fournier Mercier Chevalier Garnier",
    ),
    "es": (
        "Javier Lucía Pablo María Diego Carmen Álvaro Sofía Hugo Elena Iker Nerea",
        "García Fernández López Martínez Sánchez Romero Navarro Torres Ruiz Molina Iglesias Castaño",
    ),
    "it": (
        "Marco Giulia Luca Chiara Matteo Francesca Andrea Sara Davide Elisa Tommaso Ilaria",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo",
    ),
    "pt": (
        "João Ana Pedro Beatriz Tiago Mariana Rafael Inês Gabriel Larissa Caio Letícia",
        "Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida Ferreira Carvalho Ribeiro Barros",
    ),
    "nl": (
        "Daan Emma Sem Julia Lars Sanne Bram Fleur Thijs Lotte Joris Noor",
        "Jansen Bakker Visser Smit Meijer Mulder Bos Vos Dekker Brouwer Hendriks Verhoeven",
    ),
    "pl": (
        "Jakub Zofia Kacper Julia Mateusz Zuzanna Wojciech Maja Piotr Natalia Bartosz Hanna",
        "Nowak Kowal Wójcik Kamiński Lewandowski Zieliński Szymański Dąbrowski Kozłowski Mazur Krawczyk Pawlak",
    ),
    "sv": (
        "Erik Elsa Oskar Maja Axel Alva Hugo Astrid Viktor Saga Linnea Nils",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Lindqvist Berg",
    ),
    "tr": (
        "Emre Zeynep Mehmet Elif Burak Ayşe Can Selin Mert Deniz Kerem Ece",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Aydın Öztürk Arslan Doğan Kılıç Koç",
    ),
}
NAMES_NATIVE = {
    "ru": (
        [
            ("Алексей", "aleksey"),
            ("Дмитрий", "dmitry"),
            ("Сергей", "sergey"),
            ("Игорь", "igor"),
            ("Мария", "maria"),
            ("Ольга", "olga"),
            ("Анна", "anna"),
            ("Елена", "elena"),
            ("Павел", "pavel"),
            ("Наталья", "natalya"),
        ],
        [
            ("Смирнов", "smirnov"),
            ("Кузнецов", "kuznetsov"),
            ("Попов", "popov"),
            ("Соколов", "sokolov"),
            ("Лебедев", "lebedev"),
            ("Новиков", "novikov"),
            ("Морозов", "morozov"),
            ("Волков", "volkov"),
        ],
    ),
    "zh": (
        [
            ("伟", "wei"),
            ("芳", "fang"),
            ("娜", "na"),
            ("敏", "min"),
            ("静", "jing"),
            ("磊", "lei"),
            ("浩然", "haoran"),
            ("子涵", "zihan"),
            ("婷", "ting"),
            ("杰", "jie"),
        ],
        [
            ("王", "wang"),
            ("李", "li"),
            ("张", "zhang"),
            ("刘", "liu"),
            ("陈", "chen"),
            ("杨", "yang"),
            ("赵", "zhao"),
            ("黄", "huang"),
            ("周", "zhou"),
            ("吴", "wu"),
        ],
    ),
    "ja": (
        [
            ("翔", "sho"),
            ("美咲", "misaki"),
            ("大輔", "daisuke"),
            ("陽菜", "hina"),
            ("健太", "kenta"),
            ("葵", "aoi"),
            ("拓也", "takuya"),
            ("結衣", "yui"),
            ("蓮", "ren"),
            ("真央", "mao"),
        ],
        [
            ("佐藤", "sato"),
            ("鈴木", "suzuki"),
            ("高橋", "takahashi"),
            ("田中", "tanaka"),
            ("伊藤", "ito"),
            ("渡辺", "watanabe"),
            ("山本", "yamamoto"),
            ("中村", "nakamura"),
            ("小林", "kobayashi"),
            ("加藤", "kato"),
        ],
    ),
}
FREE_MAIL = {
    "en": ["gmail.com", "outlook.com", "yahoo.com", "hotmail.co.uk", "icloud.com", "proton.me"],
    "de": ["web.de", "gmx.de", "t-online.de", "posteo.de", "gmail.com", "mailbox.org"],
    "fr": ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr"],
    "es": ["gmail.com", "hotmail.es", "yahoo.es", "outlook.es"],
    "it": ["libero.it", "virgilio.it", "gmail.com", "tiscali.it"],
    "pt": ["gmail.com", "uol.com.br", "bol.com.br", "sapo.pt"],
    "nl": ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl"],
    "pl": ["wp.pl", "onet.pl", "interia.pl", "o2.pl"],
    "ru": ["mail.ru", "yandex.ru", "rambler.ru", "bk.ru"],
    "zh": ["qq.com", "163.com", "126.com", "sina.com"],
    "ja": ["yahoo.co.jp", "gmail.com", "outlook.jp", "nifty.com"],
    "sv": ["telia.com", "gmail.com", "bredband.net", "outlook.com"],
    "tr": ["gmail.com", "hotmail.com", "yandex.com.tr", "outlook.com"],
}
CORP_MAIL = {
    "en": ["brightmoor-logistics.co.uk", "kestrelworks.io", "quantaloop.com", "hexaline.io"],
    "de": ["nordhafen-logistik.de", "alpenbau-gmbh.at", "kraemer-elektro.de", "rheinfeld-it.de"],
    "fr": ["lumiere-conseil.fr", "atelier-verdon.fr", "cabinet-roussel.fr"],
    "es": ["solaria-energia.es", "grupo-altamar.es", "talleres-ibarra.com"],
    "it": ["tessile-ricci.it", "studio-benvenuti.it", "officine-lario.it"],
    "pt": ["marevia.com.br", "construtora-aurea.com.br", "vinhos-douro-sul.pt"],
    "nl": ["dijkstra-bouw.nl", "polderdata.nl", "vanrijn-transport.nl"],
    "pl": ["wisla-tech.pl", "bialowieza-soft.pl", "hurtownia-mazur.pl"],
    "ru": ["sibtrans-group.ru", "volga-stroi.ru", "severnet.ru"],
    "zh": ["huaxin-tech.cn", "lanshan-data.com.cn", "jinhe-trading.cn"],
    "ja": ["sakura-denki.co.jp", "kitahama-soft.jp", "minato-logi.co.jp"],
    "sv": ["fjordlink.se", "norrsken-data.se", "vasa-bygg.se"],
    "tr": ["anadolu-yazilim.com.tr", "ege-lojistik.com.tr", "bosphorus-tekstil.com"],
}
GENERIC_CORP = ["orbitcraft.dev", "bluefir.net", "tallowtree.co", "mossbank.org", "lynxgate.eu"]


def fold(s):
    s = s.replace("ß", "ss").replace("ł", "l").replace("Ł", "L").replace("ı", "i").replace("ø", "o")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z]", "", s).lower()


class Person:
    def __init__(self, rng, lang):
        nl = lang if (lang in NAMES or lang in NAMES_NATIVE) else "en"
        if nl in NAMES_NATIVE:
            firsts, lasts = NAMES_NATIVE[nl]
            f, fr = rng.choice(firsts)
            l, lr = rng.choice(lasts)
            if nl == "ru":
                if fr in ("maria", "olga", "anna", "elena", "natalya"):
                    l, lr = l + "а", lr + "a"
                self.display = f"{f} {l}" if rng.random() < 0.6 else f"{l} {f}"
            else:
                self.display = f"{l}{f}" if nl == "zh" else f"{l} {f}"
            self.first, self.last = fr, lr
        else:
            firsts, lasts = NAMES[nl]
            f = rng.choice(firsts.split())
            l = rng.choice(lasts.split())
            self.display = f"{f} {l}"
            self.first, self.last = fold(f), fold(l)
        self.rng = rng
        self.lang = nl
        self.user = self._user()
        self.email = self.new_email()

    def _user(self):
        r = self.rng
        f, l = self.first, self.last
        return r.choice(
            [
                f[0] + l,
                f + "." + l,
                l + f[0],
                f + l[:3],
                f"{f[0]}{l}{r.randint(1, 99)}",
                f"{l}_{f[0]}",
                f"{f}{r.randint(10, 99)}",
            ]
        )

    def new_email(self, corp=None):
        r = self.rng
        f, l = self.first, self.last
        local = r.choice(
            [
                f"{f}.{l}",
                f"{f[0]}.{l}",
                f"{f}{l}",
                f"{f}_{l}",
                f"{l}.{f}",
                f"{f}.{l}{r.randint(2, 99)}",
                f"{f[0]}{l}",
                f"{f}{r.randint(70, 2009)}",
                f"{l}-{f[0]}",
            ]
        )
        if corp is None:
            corp = r.random() < 0.5
        dom = r.choice(CORP_MAIL[self.lang] + GENERIC_CORP[:1]) if corp else r.choice(FREE_MAIL[self.lang])
        return f"{local}@{dom}"


# ---------------------------------------------------------------------------
# IP addresses
# ---------------------------------------------------------------------------
V4_FIRST = [
    2,
    3,
    5,
    8,
    13,
    18,
    23,
    31,
    34,
    37,
    41,
    45,
    46,
    52,
    54,
    62,
    64,
    66,
    69,
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
    92,
    93,
    94,
    95,
    104,
    109,
    116,
    121,
    128,
    136,
    138,
    141,
    145,
    151,
    154,
    157,
    159,
    162,
    164,
    176,
    178,
    185,
    188,
    193,
    194,
    195,
    197,
    200,
    201,
    210,
    212,
    213,
    217,
    220,
]
V6_PREF = [
    "2a01",
    "2a02",
    "2a00",
    "2a03",
    "2a05",
    "2a0e",
    "2600",
    "2601",
    "2603",
    "2604",
    "2605",
    "2606",
    "2607",
    "2620",
    "2800",
    "2804",
    "2c0f",
    "2400",
    "2401",
    "2404",
    "2405",
    "2406",
    "2408",
    "2409",
]


def pub_ip4(rng):
    while True:
        s = f"{rng.choice(V4_FIRST)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        if ip_public(s):
            return s


def pub_ip6(rng):
    while True:
        groups = [rng.choice(V6_PREF)] + [format(rng.randrange(0x10000), "x") for _ in range(7)]
        if rng.random() < 0.6:
            k = rng.randint(2, 5)
            head = groups[: 8 - k - rng.randint(0, 1)]
            tail = [format(rng.randint(1, 0xFFFF), "x")] if rng.random() < 0.7 else []
            s = ":".join(head) + "::" + ":".join(tail)
        else:
            s = ":".join(groups)
        try:
            ipaddress.IPv6Address(s)
        except ValueError:
            continue
        if ip_public(s):
            return s


def priv_ip4(rng):
    k = rng.random()
    if k < 0.4:
        return f"192.168.{rng.randint(0, 254)}.{rng.randint(1, 254)}"
    if k < 0.75:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if k < 0.95:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    return f"169.254.{rng.randint(1, 254)}.{rng.randint(1, 254)}"


def priv_ip6(rng):
    if rng.random() < 0.6:
        return (
            "fd"
            + format(rng.randrange(256), "02x")
            + ":"
            + ":".join(format(rng.randrange(0x10000), "x") for _ in range(3))
            + "::"
            + format(rng.randint(1, 0xFFF), "x")
        )
    return "fe80::" + ":".join(format(rng.randrange(0x10000), "x") for _ in range(4))


def doc_ip(rng):
    k = rng.random()
    if k < 0.3:
        return f"192.0.2.{rng.randint(1, 254)}"
    if k < 0.6:
        return f"198.51.100.{rng.randint(1, 254)}"
    if k < 0.85:
        return f"203.0.113.{rng.randint(1, 254)}"
    return f"2001:db8:{format(rng.randrange(0x10000), 'x')}::{format(rng.randint(1, 0xFFF), 'x')}"


# ---------------------------------------------------------------------------
# Cards
# ---------------------------------------------------------------------------
def _luhn_complete(rng, prefix, length):
    body = prefix + "".join(rng.choice(DIG) for _ in range(length - len(prefix) - 1))
    for c in DIG:
        if luhn_ok(body + c):
            return body + c


def gen_card(rng):
    k = rng.random()
    if k < 0.34:
        num = _luhn_complete(rng, "4", rng.choice([16, 16, 16, 16, 13, 19]))
    elif k < 0.58:
        pre = str(rng.randint(51, 55)) if rng.random() < 0.7 else str(rng.randint(2221, 2720))
        num = _luhn_complete(rng, pre, 16)
    elif k < 0.72:
        num = _luhn_complete(rng, rng.choice(["34", "37"]), 15)
    elif k < 0.8:
        num = _luhn_complete(rng, rng.choice(["6011", "65", str(rng.randint(644, 649))]), 16)
    elif k < 0.88:
        num = _luhn_complete(rng, str(rng.randint(3528, 3589)), 16)
    elif k < 0.93:
        num = _luhn_complete(rng, "36", 14)
    else:
        num = _luhn_complete(rng, "62", rng.choice([16, 19]))
    assert is_card(num)
    return num


def fmt_card(rng, num, style=None):
    style = style or rng.choice(["plain", "space", "space", "dash"])
    if style == "plain":
        return num
    sep = " " if style == "space" else "-"
    n = len(num)
    if n == 15:
        g = [4, 6, 5]
    elif n == 14:
        g = [4, 6, 4]
    elif n == 13:
        g = [4, 4, 5]
    elif n == 19:
        g = [4, 4, 4, 4, 3]
    else:
        g = [4, 4, 4, 4]
    out, i = [], 0
    for x in g:
        out.append(num[i : i + x])
        i += x
    return sep.join(out)


# ---------------------------------------------------------------------------
# Passwords and codes
# ---------------------------------------------------------------------------
WORDS = (
    "amber anchor birch canyon cedar copper delta ember falcon fjord granite harbor indigo juniper kayak "
    "lantern maple meadow nebula orchid pepper quartz raven saffron tundra velvet walnut zephyr kiesel "
    "wolke tanne brise lune sable marea nube vento onda sneeuw morze tulpe sirocco basalt cobalt "
    "lagoon pebble thistle otter heron comet glacier puffin mistral cactus bramble"
).split()
PW_SYMS = "!#$%*+-=?@^_~&"
BAD_END = ".,!?:;"


def pw_valid(pw, forbid=""):
    if len(pw) < 8 or any(c in forbid for c in pw):
        return False
    if not pw[0].isalnum() or pw[-1] in BAD_END or pw[-1].isspace():
        return False
    if " " in pw or "\n" in pw or not marker_free(pw) or scan(pw):
        return False
    classes = sum(bool(re.search(p, pw)) for p in ("[a-z]", "[A-Z]", "[0-9]"))
    return classes >= 2


def gen_password(rng, forbid="", style=None):
    syms = [s for s in PW_SYMS if s not in forbid]
    for _ in range(200):
        st = style or rng.choice(["rand", "rand", "rand", "rand", "words", "phrase", "lowdig", "b62"])
        if st == "rand":
            n = rng.randint(9, 20)
            pools = [LOW, UP, DIG]
            if syms and rng.random() < 0.7:
                pools.append("".join(syms))
            chars = [rng.choice(p) for p in pools]
            allc = "".join(pools)
            chars += [rng.choice(allc) for _ in range(n - len(chars))]
            rng.shuffle(chars)
            pw = "".join(chars)
        elif st == "words":
            w1, w2 = rng.sample(WORDS, 2)
            d = str(rng.choice([rng.randint(10, 99), rng.randint(100, 999), rng.randint(3100, 9999)]))
            s = rng.choice(syms) if syms and rng.random() < 0.7 else ""
            pw = rng.choice(
                [
                    f"{w1.capitalize()}{s}{w2.capitalize()}{d}",
                    f"{w1.capitalize()}{d}{s}{w2}",
                    f"{w1}{d}{w2.capitalize()}{s}{rng.randint(1, 9)}",
                ]
            )
        elif st == "phrase":
            seps = [x for x in "-._+" if x not in forbid]
            if not seps:
                continue
            sep = rng.choice(seps)
            ws = rng.sample(WORDS, rng.randint(3, 4))
            if rng.random() < 0.4:
                i = rng.randrange(len(ws))
                ws[i] = ws[i].capitalize()
            ws.insert(rng.randint(1, len(ws)), str(rng.randint(2, 999)))
            pw = sep.join(ws)
        elif st == "lowdig":
            pw = "".join(rng.choice(LOW + DIG) for _ in range(rng.randint(10, 16)))
        else:
            pw = "".join(rng.choice(ALNUM) for _ in range(rng.randint(16, 32)))
        if pw_valid(pw, forbid):
            return pw
    raise RuntimeError("password generation failed")


def gen_code(rng):
    while True:
        n = rng.randint(6, 8)
        alpha = rng.choice([UP, LOW, UP + LOW])
        c = "".join(rng.choice(alpha + DIG) for _ in range(n))
        if re.search("[A-Za-z]", c) and re.search("[0-9]", c) and c[0].isalnum() and marker_free(c):
            return c


# ---------------------------------------------------------------------------
# Vendor tokens (formats that exist; values random)
# ---------------------------------------------------------------------------
def _vendor_table(g):
    r = g.r
    anu = ALNUM + "_-"
    return [
        ("GitHub", lambda: "ghp_" + g.alnum(36)),
        ("GitHub Actions", lambda: "ghs_" + g.alnum(36)),
        ("GitHub OAuth", lambda: "gho_" + g.alnum(36)),
        ("GitHub (fine-grained)", lambda: "github_pat_" + g.alnum(22) + "_" + g.alnum(59)),
        ("GitLab", lambda: "glpat-" + g.s(anu, 20)),
        ("Slack bot", lambda: f"xoxb-{r.randint(10**10, 10**12)}-{r.randint(10**11, 10**13)}-{g.alnum(24)}"),
        (
            "Slack user",
            lambda: (
                f"xoxp-{r.randint(10**10, 10**12)}-{r.randint(10**10, 10**12)}-{r.randint(10**11, 10**13)}-{g.hexs(32)}"
            ),
        ),
        ("Stripe", lambda: "sk_live_" + g.alnum(r.choice([24, 99]))),
        ("Stripe (test)", lambda: "sk_test_" + g.alnum(r.choice([24, 99]))),
        ("Stripe restricted", lambda: "rk_live_" + g.alnum(r.choice([24, 99]))),
        ("Stripe restricted (test)", lambda: "rk_test_" + g.alnum(24)),
        ("OpenAI", lambda: "sk-" + g.alnum(20) + "T3BlbkFJ" + g.alnum(20)),
        ("OpenAI project", lambda: "sk-proj-" + g.s(anu, 74) + "T3BlbkFJ" + g.s(anu, 74)),
        ("Anthropic", lambda: "sk-ant-api03-" + g.s(anu, 93) + "AA"),
        ("Google Maps", lambda: "AIza" + g.s(anu, 35)),
        ("SendGrid", lambda: "SG." + g.s(anu, 22) + "." + g.s(anu, 43)),
        ("Twilio auth token", lambda: g.hexs(32)),
        ("Mailgun", lambda: "key-" + g.hexs(32)),
        ("npm", lambda: "npm_" + g.alnum(36)),
        ("PyPI", lambda: "pypi-AgEIcHlwaS5vcmc" + g.s(anu, r.randint(60, 120))),
        ("Shopify Admin API", lambda: "shpat_" + g.hexs(32)),
        ("Shopify app secret", lambda: "shpss_" + g.hexs(32)),
        ("Hugging Face", lambda: "hf_" + g.s(LOW + UP, 34)),
        ("DigitalOcean", lambda: "dop_v1_" + g.hexs(64)),
        ("Datadog API", lambda: g.hexs(32)),
        ("Datadog APP", lambda: g.hexs(40)),
        ("Azure Storage", lambda: b64(rbytes(r, 64))),
        ("Telegram bot", lambda: f"{r.randint(10**8, 7 * 10**9)}:AA{g.s(anu, 33)}"),
        (
            "Discord bot",
            lambda: b64url_nopad(str(r.randint(10**17, 10**18)).encode()) + "." + g.s(anu, 6) + "." + g.s(anu, 38),
        ),
        ("Postman", lambda: "PMAK-" + g.hexs(24) + "-" + g.hexs(34)),
        ("Cloudflare", lambda: g.s(anu, 40)),
        ("Linear", lambda: "lin_api_" + g.alnum(40)),
        ("Notion", lambda: "ntn_" + g.digits(11) + g.alnum(35)),
        ("Grafana", lambda: "glsa_" + g.alnum(32) + "_" + g.hexs(8)),
        ("New Relic", lambda: "NRAK-" + g.s(UP + DIG, 27)),
        ("Vault", lambda: "hvs." + g.s(anu, 24)),
        ("Terraform Cloud", lambda: g.alnum(14) + ".atlasv1." + g.s(anu, 67)),
        ("Doppler", lambda: "dp.st.prd." + g.alnum(40)),
        ("Heroku", lambda: "-".join(g.hexs(n) for n in (8, 4, 4, 4, 12))),
        ("Figma", lambda: "figd_" + g.s(anu, 40)),
        ("Square", lambda: "EAAA" + g.s(anu, 60)),
        ("Atlassian", lambda: "ATATT3xFfGF0" + g.s(anu, 170) + "=" + g.hexs(8).upper()),
        ("Mailchimp", lambda: g.hexs(32) + "-us" + str(r.randint(2, 21))),
        ("Algolia admin", lambda: g.hexs(32)),
        ("Sentry", lambda: "sntryu_" + g.hexs(64)),
        ("Bitbucket", lambda: "ATBB" + g.alnum(32)),
        ("Okta", lambda: "00" + g.s(anu, 40)),
        ("Dropbox", lambda: "sl." + g.s(anu, 130)),
        ("Google OAuth client secret", lambda: "GOCSPX-" + g.s(anu, 28)),
        ("Azure AD client secret", lambda: g.alnum(3) + "8Q~" + g.s(ALNUM + "_~.-", 31) + g.alnum(3)),
        ("Pulumi", lambda: "pul-" + g.hexs(40)),
        ("Fastly", lambda: g.s(anu, 32)),
        ("Netlify", lambda: "nfp_" + g.alnum(36)),
        ("Supabase", lambda: "sbp_" + g.hexs(40)),
        ("Databricks", lambda: "dapi" + g.hexs(32)),
        ("Docker Hub", lambda: "dckr_pat_" + g.s(anu, 27)),
        ("SonarQube", lambda: "sqp_" + g.hexs(40)),
        ("Asana", lambda: f"2/{r.randint(10**15, 10**16)}/{r.randint(10**15, 10**16)}:{g.hexs(32)}"),
    ]


def gen_vendor(rng, forbid="", name=None):
    g = Gen(rng)
    table = _vendor_table(g)
    for _ in range(200):
        nm, fn = next(t for t in table if t[0] == name) if name else rng.choice(table)
        v = fn()
        if not any(c in forbid for c in v) and marker_free(v) and v[0].isalnum():
            return nm, v
        name = None
    raise RuntimeError("vendor")


def gen_aws(rng):
    g = Gen(rng)
    while True:
        akid = rng.choice(["AKIA", "AKIA", "ASIA"]) + g.s(UP + "234567", 16)
        sk = g.s(ALNUM + "+/", 40)
        if marker_free(akid) and marker_free(sk) and sk[0].isalnum():
            return akid, sk


def gen_jwt(rng, forbid=""):
    g = Gen(rng)
    alg = rng.choice(["HS256", "RS256", "ES256", "HS512"])
    hdr = {"alg": alg, "typ": "JWT"}
    if rng.random() < 0.4:
        hdr["kid"] = g.hexs(8)
    iat = rng.randint(1690000000, 1735000000)
    pl = {
        "sub": rng.choice([g.digits(rng.randint(4, 9)), "usr_" + g.alnum(10)]),
        "iat": iat,
        "exp": iat + rng.choice([900, 3600, 86400]),
    }
    if rng.random() < 0.5:
        pl["role"] = rng.choice(["admin", "service", "reader", "editor"])
    if rng.random() < 0.4:
        pl["scope"] = rng.choice(["read write", "orders:read", "api"])
    sig = b64url_nopad(rbytes(rng, 64 if alg in ("HS512",) else (256 if alg == "RS256" else 32)))
    return (
        b64url_nopad(json.dumps(hdr, separators=(",", ":")).encode())
        + "."
        + b64url_nopad(json.dumps(pl, separators=(",", ":")).encode())
        + "."
        + sig
    )


def gen_generic_secret(rng, forbid=""):
    g = Gen(rng)
    for _ in range(100):
        k = rng.random()
        if k < 0.25:
            v = g.hexs(rng.choice([32, 40, 64]))
        elif k < 0.5:
            v = g.alnum(rng.randint(28, 48))
        elif k < 0.7:
            v = b64(rbytes(rng, rng.choice([24, 32, 48])))
        elif k < 0.85:
            v = g.s(B64U, rng.randint(32, 43))
        else:
            v = "whsec_" + b64(rbytes(rng, 24))
        if v[0].isalnum() and not any(c in forbid for c in v) and marker_free(v):
            return v
    raise RuntimeError("generic")


def gen_private_key(rng, kind=None):
    g = Gen(rng)
    kind = kind or rng.choice(["RSA", "RSA", "OPENSSH", "EC", "PKCS8"])
    if kind == "RSA":
        head, pre, nl = "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA", rng.randint(10, 24)
        foot = "-----END RSA PRIVATE KEY-----"
        width = 64
    elif kind == "OPENSSH":
        head, pre, nl = (
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
            rng.randint(4, 7),
        )
        foot = "-----END OPENSSH PRIVATE KEY-----"
        width = 70
    elif kind == "EC":
        head, pre, nl = "-----BEGIN EC PRIVATE KEY-----", "MHcCAQEEI", 3
        foot = "-----END EC PRIVATE KEY-----"
        width = 64
    else:
        head, pre, nl = "-----BEGIN PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", rng.randint(10, 24)
        foot = "-----END PRIVATE KEY-----"
        width = 64
    body = pre + g.s(B64C, width * nl - len(pre) - rng.randint(0, 20))
    lines = [body[i : i + width] for i in range(0, len(body), width)]
    if kind == "EC":
        lines[-1] = lines[-1] + "=="
    return "\n".join([head] + lines + [foot])


def gen_certificate(rng, public_key=False):
    g = Gen(rng)
    if public_key:
        head, foot, pre, n = (
            "-----BEGIN PUBLIC KEY-----",
            "-----END PUBLIC KEY-----",
            "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA",
            6,
        )
    else:
        head, foot, pre, n = (
            "-----BEGIN CERTIFICATE-----",
            "-----END CERTIFICATE-----",
            "MIIDdzCCAl+gAwIBAgIU",
            rng.randint(8, 16),
        )
    body = pre + g.s(B64C, 64 * n - len(pre) - rng.randint(1, 30))
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join([head] + lines + [foot])


# ---------------------------------------------------------------------------
# Document builder: spans are recorded while text is appended
# ---------------------------------------------------------------------------
class BadValue(Exception):
    pass


class Doc:
    def __init__(self):
        self.buf = []
        self.n = 0
        self.spans = []  # (start, end, entity, value, kind)

    def t(self, s):
        self.buf.append(s)
        self.n += len(s)

    def v(self, val, ent, kind):
        st = self.n
        self.t(val)
        self.spans.append((st, self.n, ent, val, kind))

    def text(self):
        return "".join(self.buf)


def L(val, ent, kind=None):
    return (val, ent, kind or ent.lower())


def cstr(cell):
    return "".join(p if isinstance(p, str) else p[0] for p in cell)


def put(doc, cell, esc=None, forbid="", esc_labelled=None):
    """Write a cell (list of str / labelled tuples). Unlabelled parts are escaped;
    labelled parts must not need escaping (unless esc_labelled is given)."""
    for p in cell:
        if isinstance(p, str):
            doc.t(esc(p) if esc else p)
        else:
            val, ent, kind = p
            if any(c in forbid for c in val):
                raise BadValue(val)
            if esc_labelled:
                doc.v(esc_labelled(val), ent, kind)
            else:
                if esc and esc(val) != val:
                    raise BadValue(val)
                doc.v(val, ent, kind)


def esc_html(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def esc_md(s):
    return s.replace("|", "\\|").replace("\n", " ")


def esc_latex(s):
    out = []
    for ch in s:
        if ch in "&%$#_{}":
            out.append("\\" + ch)
        elif ch == "\\":
            out.append("\\textbackslash{}")
        elif ch == "~":
            out.append("\\textasciitilde{}")
        elif ch == "^":
            out.append("\\textasciicircum{}")
        elif ch == "\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def esc_json(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def esc_sql(s):
    return s.replace("'", "''").replace("\n", "\\n")


def esc_wiki(s):
    return s.replace("|", "&#124;").replace("\n", " ")


def esc_pipe(s):
    return s.replace("|", "\\|").replace("\n", " ")


def esc_tab(s):
    return s.replace("\t", " ").replace("\n", " ")


def esc_line(s):
    return s.replace("\n", " ")


# header aliases: value fields whose column is named like another field
HDR_ALIAS = {
    "password_placeholder": "password",
    "email_reserved": "email",
    "card_masked": "card",
    "doc_ip": "public_ip",
    "author_user": "author",
    "phone_model": "model",
    "record_name": "name",
    "password_hash": "password",
    "api_key_g": "api_key",
}


def hdr_alts(lang, fid, rng=None):
    if fid == "password_hash" and (rng is None or rng.random() < 0.5):
        return (
            [EN_FB["password_hash"], "Hash"]
            if rng is not None
            else [EN_FB["password_hash"], "Hash"] + T["en"]["password"]
        )
    key = HDR_ALIAS.get(fid, fid)
    return T[lang].get(key) or T["en"].get(key) or [EN_FB.get(fid, fid)]


class Ctx:
    """Per-record generation context."""

    def __init__(self, rng, lang, renderer):
        self.rng = rng
        self.lang = lang
        self.renderer = renderer
        self.forbid = RENDER_FORBID[renderer]
        self.multiline = renderer in MULTILINE_OK
        self._hdr = {}

    def p(self, x):
        return self.rng.random() < x

    def hdr(self, fid):
        if fid not in self._hdr:
            self._hdr[fid] = self.rng.choice(hdr_alts(self.lang, fid, self.rng))
        return self._hdr[fid]

    def cap(self, topic):
        return CAP[self.lang][topic][0]

    def note(self):
        return self.rng.choice(NOTE[self.lang])

    def person(self):
        return Person(self.rng, self.lang)

    def pw(self, extra="", style=None):
        return gen_password(self.rng, self.forbid + extra, style)


RENDER_FORBID = {
    "markdown": "|\n`",
    "org": "|\n",
    "html": '<>&"\n',
    "wiki": "|\n{}",
    "confluence": "|\n{}[]",
    "csv": '"',
    "tsv": '\t\n"',
    "spreadsheet": '\t\n"',
    "latex": "\\#$%&~_^{}\n",
    "json": '"\\',
    "yaml": "\"\\'",
    "fixed": "\n",
    "ascii": "|\n",
    "asciidoc": "|\n",
    "xml": "<>&\"'",
    "sql": "'\\\n",
    "blocks": "\n",
    "rst": "\n",
}
MULTILINE_OK = {"csv", "json", "yaml", "xml", "html"}
RENDERERS = list(RENDER_FORBID)
RENDER_CONTEXT = {
    "markdown": "markdown_table",
    "org": "org_mode_table",
    "html": "html_table",
    "wiki": "mediawiki_table",
    "confluence": "confluence_wiki_table",
    "csv": "csv_export",
    "tsv": "tsv_export",
    "spreadsheet": "spreadsheet_paste",
    "latex": "latex_tabular",
    "json": "json_array",
    "yaml": "yaml_list",
    "fixed": "fixed_width_report",
    "ascii": "sql_client_output",
    "asciidoc": "asciidoc_table",
    "xml": "xml_export",
    "sql": "sql_dump",
    "blocks": "record_listing",
    "rst": "rst_table",
}
MACHINE_KEY_RENDERERS = {"json", "yaml", "xml", "sql"}


def slug(s):
    s = fold(s) if all(ord(c) < 0x250 for c in s) else s
    return re.sub(r"\W+", "_", s).strip("_").lower() or "col"


# ---------------------------------------------------------------------------
# Renderers. Each takes (doc, ctx, table) where table = dict(hdrs, keys, rows, cap, note, name)
# ---------------------------------------------------------------------------
def _widths(hdrs, rows):
    w = [len(h) for h in hdrs]
    for r in rows:
        for i, c in enumerate(r):
            w[i] = max(w[i], len(cstr(c)))
    return w


def _text_lines(doc, prefix, tb, where):
    if where == "cap" and tb["cap"]:
        doc.t(prefix + tb["cap"] + "\n")
    if where == "note" and tb["note"]:
        doc.t(prefix + tb["note"] + "\n")


def r_markdown(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t(r.choice(["## ", "### ", "**", ""]) + tb["cap"] + "\n\n")
    lead = r.random() < 0.8
    pad = r.random() < 0.5
    w = _widths(tb["hdrs"], tb["rows"]) if pad else None

    def line(cells, hdr=False):
        if lead:
            doc.t("| ")
        for i, cell in enumerate(cells):
            if i:
                doc.t(" | ")
            if hdr:
                doc.t(esc_md(cell))
                n = len(cell)
            else:
                put(doc, cell, esc_md, c.forbid)
                n = len(cstr(cell))
            if pad and (i < len(cells) - 1 or lead):
                doc.t(" " * (w[i] - n))
        if lead:
            doc.t(" |")
        doc.t("\n")

    line(tb["hdrs"], True)
    seps = []
    for i in range(len(tb["hdrs"])):
        base = "-" * (w[i] if pad else 3)
        seps.append(r.choice([base, ":" + base[1:], base]))
    doc.t(("| " if lead else "") + " | ".join(seps) + (" |" if lead else "") + "\n")
    for row in tb["rows"]:
        line(row)
    if tb["note"]:
        doc.t("\n_" + tb["note"] + "_\n")


def r_org(doc, c, tb):
    if tb["cap"]:
        doc.t("#+CAPTION: " + tb["cap"] + "\n")
    w = _widths(tb["hdrs"], tb["rows"])
    rule = "|" + "+".join("-" * (x + 2) for x in w) + "|\n"

    def line(cells, hdr=False):
        doc.t("|")
        for i, cell in enumerate(cells):
            doc.t(" ")
            if hdr:
                doc.t(cell)
                n = len(cell)
            else:
                put(doc, cell, esc_pipe, c.forbid)
                n = len(cstr(cell))
            doc.t(" " * (w[i] - n) + " |")
        doc.t("\n")

    line(tb["hdrs"], True)
    doc.t(rule)
    for row in tb["rows"]:
        line(row)
    if tb["note"]:
        doc.t("# " + tb["note"] + "\n")


def r_html(doc, c, tb):
    r = c.rng
    nl = "\n" if r.random() < 0.8 else ""
    ind = r.choice(["  ", "    ", ""]) if nl else ""
    if tb["cap"] and r.random() < 0.5:
        doc.t(r.choice(["<h3>", "<h2>", "<p><b>"]))
        tag = doc.buf[-1]
        doc.t(esc_html(tb["cap"]) + {"<h3>": "</h3>", "<h2>": "</h2>", "<p><b>": "</b></p>"}[tag] + "\n")
        incap = False
    else:
        incap = bool(tb["cap"])
    doc.t(
        r.choice(
            [
                "<table>",
                '<table border="1">',
                '<table class="table table-sm">',
                '<table style="border-collapse:collapse">',
                '<table cellpadding="4">',
            ]
        )
        + nl
    )
    if incap:
        doc.t(ind + "<caption>" + esc_html(tb["cap"]) + "</caption>" + nl)
    thead = r.random() < 0.6
    if thead:
        doc.t(ind + "<thead>" + nl)
    doc.t(ind + "<tr>" + "".join(f"<th>{esc_html(h)}</th>" for h in tb["hdrs"]) + "</tr>" + nl)
    if thead:
        doc.t(ind + "</thead>" + nl + ind + "<tbody>" + nl)
    for row in tb["rows"]:
        doc.t(ind + "<tr>")
        for cell in row:
            multi = any(not isinstance(p, str) and "\n" in p[0] for p in cell)
            doc.t("<td><pre>" if multi else "<td>")
            put(doc, cell, esc_html, '<>&"')
            doc.t("</pre></td>" if multi else "</td>")
        doc.t("</tr>" + nl)
    if thead:
        doc.t(ind + "</tbody>" + nl)
    doc.t("</table>\n")
    if tb["note"]:
        doc.t("<p><small>" + esc_html(tb["note"]) + "</small></p>\n")


def r_wiki(doc, c, tb):
    r = c.rng
    doc.t(r.choice(['{| class="wikitable"', '{| class="wikitable sortable"', '{| border="1"']) + "\n")
    if tb["cap"]:
        doc.t("|+ " + esc_wiki(tb["cap"]) + "\n")
    if r.random() < 0.5:
        doc.t("! " + " !! ".join(tb["hdrs"]) + "\n")
    else:
        for h in tb["hdrs"]:
            doc.t("! " + h + "\n")
    for row in tb["rows"]:
        doc.t("|-\n")
        one = r.random() < 0.6
        for i, cell in enumerate(row):
            if one:
                doc.t("| " if i == 0 else " || ")
            else:
                doc.t("| ")
            put(doc, cell, esc_wiki, c.forbid)
            if not one:
                doc.t("\n")
        if one:
            doc.t("\n")
    doc.t("|}\n")
    if tb["note"]:
        doc.t("''" + tb["note"] + "''\n")


def r_confluence(doc, c, tb):
    if tb["cap"]:
        doc.t("h3. " + tb["cap"] + "\n")
    doc.t("||" + "||".join(esc_pipe(h) for h in tb["hdrs"]) + "||\n")
    for row in tb["rows"]:
        doc.t("|")
        for cell in row:
            doc.t(" ")
            put(doc, cell, esc_pipe, c.forbid)
            doc.t(" |")
        doc.t("\n")
    if tb["note"]:
        doc.t("{info}" + tb["note"] + "{info}\n")


def _csv_cell(doc, cell, delim, quote_all):
    s = cstr(cell)
    q = quote_all or any(ch in s for ch in (delim, '"', "\n", "\r"))
    if q:
        doc.t('"')
    put(doc, cell, (lambda x: x.replace('"', '""')) if q else None, '"')
    if q:
        doc.t('"')


def r_csv(doc, c, tb):
    r = c.rng
    delim = r.choice([",", ",", ";", "|"]) if not tb.get("delim") else tb["delim"]
    quote_all = r.random() < 0.3
    eol = "\r\n" if r.random() < 0.15 else "\n"
    if tb["cap"] and (tb.get("force") or r.random() < 0.5):
        doc.t("# " + tb["cap"] + eol)
    doc.t(delim.join(('"%s"' % h if quote_all or delim in h else h) for h in tb["hdrs"]) + eol)
    for row in tb["rows"]:
        for i, cell in enumerate(row):
            if i:
                doc.t(delim)
            _csv_cell(doc, cell, delim, quote_all)
        doc.t(eol)


def r_tsv(doc, c, tb):
    if tb["cap"] and (tb.get("force") or c.p(0.4)):
        doc.t(tb["cap"] + "\n")
    doc.t("\t".join(tb["hdrs"]) + "\n")
    for row in tb["rows"]:
        for i, cell in enumerate(row):
            if i:
                doc.t("\t")
            put(doc, cell, esc_tab, c.forbid)
        doc.t("\n")


def r_spreadsheet(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t(tb["cap"] + "\t" * r.randint(0, 3) + "\n")
        if r.random() < 0.5:
            doc.t("\n")
    letters = r.random() < 0.3
    if letters:
        doc.t("\t" + "\t".join(UP[i] for i in range(len(tb["hdrs"]))) + "\n1\t")
    doc.t("\t".join(tb["hdrs"]) + "\n")
    for k, row in enumerate(tb["rows"]):
        if letters:
            doc.t(f"{k + 2}\t")
        for i, cell in enumerate(row):
            if i:
                doc.t("\t")
            put(doc, cell, esc_tab, c.forbid)
        doc.t("\n")
    if tb["note"]:
        doc.t("\n" + tb["note"] + "\n")


def r_latex(doc, c, tb):
    r = c.rng
    n = len(tb["hdrs"])
    float_env = r.random() < 0.6
    if float_env:
        doc.t("\\begin{table}[" + r.choice(["h", "ht", "!htbp"]) + "]\n\\centering\n")
        if tb["cap"] and r.random() < 0.5:
            doc.t("\\caption{" + esc_latex(tb["cap"]) + "}\n")
            capdone = True
        else:
            capdone = False
    else:
        capdone = False
        if tb["cap"]:
            doc.t("\\subsection*{" + esc_latex(tb["cap"]) + "}\n")
            capdone = True
    spec = r.choice(["|" + "|".join("l" * n) + "|", "l" * n, "@{}" + "l" * n + "@{}"])
    doc.t("\\begin{tabular}{" + spec + "}\n")
    doc.t(r.choice(["\\hline\n", "\\toprule\n"]))
    bold = r.random() < 0.5
    doc.t(" & ".join(("\\textbf{%s}" % esc_latex(h)) if bold else esc_latex(h) for h in tb["hdrs"]) + " \\\\\n")
    doc.t(r.choice(["\\hline\n", "\\midrule\n"]))
    tt = r.random() < 0.5
    for row in tb["rows"]:
        for i, cell in enumerate(row):
            if i:
                doc.t(" & ")
            lab = any(not isinstance(p, str) for p in cell)
            if tt and lab:
                doc.t("\\texttt{")
            put(doc, cell, esc_latex, c.forbid)
            if tt and lab:
                doc.t("}")
        doc.t(" \\\\\n")
    doc.t(r.choice(["\\hline\n", "\\bottomrule\n"]))
    doc.t("\\end{tabular}\n")
    if float_env:
        if tb["cap"] and not capdone:
            doc.t("\\caption{" + esc_latex(tb["cap"]) + "}\n")
        doc.t("\\end{table}\n")
    if tb["note"]:
        doc.t("\\footnotesize{" + esc_latex(tb["note"]) + "}\n")


def r_json(doc, c, tb):
    r = c.rng
    keys = tb["keys"]
    style = r.choice(["pretty2", "pretty4", "lines"])
    wrap = tb["cap"] is not None and (tb.get("force") or r.random() < 0.7)
    base = ""
    if wrap:
        ik = "  "
        doc.t("{\n" + ik + '"' + r.choice(["title", "description", "export"]) + '": "' + esc_json(tb["cap"]) + '",\n')
        if tb["note"]:
            doc.t(ik + '"note": "' + esc_json(tb["note"]) + '",\n')
        doc.t(ik + '"' + tb["name"] + '": ')
        base = ik
    doc.t("[\n" if style != "lines" or True else "[")
    ind = base + ("  " if style != "pretty4" else "    ")
    for k, row in enumerate(tb["rows"]):
        if style == "lines":
            doc.t(ind + "{")
            for i, (key, cell) in enumerate(zip(keys, row)):
                doc.t(("" if i == 0 else ", ") + '"' + esc_json(key) + '": "')
                put(doc, cell, esc_json, c.forbid, esc_labelled=esc_json)
                doc.t('"')
            doc.t("}")
        else:
            doc.t(ind + "{\n")
            for i, (key, cell) in enumerate(zip(keys, row)):
                doc.t(ind + ("  " if style == "pretty2" else "    ") + '"' + esc_json(key) + '": "')
                put(doc, cell, esc_json, c.forbid, esc_labelled=esc_json)
                doc.t('"' + ("," if i < len(keys) - 1 else "") + "\n")
            doc.t(ind + "}")
        doc.t(",\n" if k < len(tb["rows"]) - 1 else "\n")
    doc.t(base + "]")
    if wrap:
        doc.t("\n}")
    doc.t("\n")


_YAML_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._/@+=()-]*")


def _yaml_scalar(doc, c, cell, indent):
    s = cstr(cell)
    if "\n" in s:
        doc.t("|\n" + indent)
        for p in cell:
            if isinstance(p, str):
                doc.t(p.replace("\n", "\n" + indent))
            else:
                doc.v(p[0].replace("\n", "\n" + indent), p[1], p[2])
        return
    plain = (
        _YAML_PLAIN.fullmatch(s)
        and not s.endswith(" ")
        and ": " not in s
        and " #" not in s
        and not re.fullmatch(r"[0-9.eE+-]+|true|false|yes|no|null|on|off", s, re.I)
    )
    if plain and c.rng.random() < 0.85:
        put(doc, cell, None, c.forbid)
    elif c.rng.random() < 0.5 and "'" not in s:
        doc.t("'")
        put(doc, cell, None, c.forbid + "'")
        doc.t("'")
    else:
        doc.t('"')
        put(doc, cell, esc_json, c.forbid)
        doc.t('"')


def r_yaml(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t("# " + tb["cap"] + "\n")
    top = r.random() < 0.6
    ind = ""
    if top:
        doc.t(tb["name"] + ":\n")
        ind = r.choice(["  ", ""])
    for row in tb["rows"]:
        for i, (key, cell) in enumerate(zip(tb["keys"], row)):
            doc.t(ind + ("- " if i == 0 else "  ") + key + ": ")
            _yaml_scalar(doc, c, cell, ind + "    ")
            doc.t("\n")
    if tb["note"]:
        doc.t("# " + tb["note"] + "\n")


def r_fixed(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t(
            tb["cap"].upper()
            if c.lang in ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "pl", "tr") and r.random() < 0.4
            else tb["cap"]
        )
        doc.t("\n")
        if r.random() < 0.5:
            doc.t("=" * max(20, len(tb["cap"])) + "\n")
        doc.t("\n")
    gap = r.choice([2, 3, 4])
    w = _widths(tb["hdrs"], tb["rows"])
    doc.t((" " * gap).join(h.ljust(w[i]) for i, h in enumerate(tb["hdrs"])).rstrip() + "\n")
    doc.t((" " * gap).join(r.choice("-=") * w[i] if False else "-" * w[i] for i in range(len(w))) + "\n")
    for row in tb["rows"]:
        for i, cell in enumerate(row):
            if i:
                doc.t(" " * gap)
            put(doc, cell, esc_line, c.forbid)
            if i < len(row) - 1:
                doc.t(" " * (w[i] - len(cstr(cell))))
        doc.t("\n")
    doc.t("-" * (sum(w) + gap * (len(w) - 1)) + "\n")
    if tb["note"]:
        doc.t(tb["note"] + "\n")
    elif r.random() < 0.5:
        doc.t(f"{len(tb['rows'])} rows\n" if c.lang == "en" else f"# {len(tb['rows'])}\n")


def r_ascii(doc, c, tb):
    r = c.rng
    w = _widths(tb["hdrs"], tb["rows"])
    if r.random() < 0.5:  # mysql style
        if tb["cap"]:
            doc.t("-- " + tb["cap"] + "\n")
        doc.t("mysql> SELECT " + ", ".join(tb["keys"]) + " FROM " + tb["name"] + ";\n")
        rule = "+" + "+".join("-" * (x + 2) for x in w) + "+\n"
        doc.t(rule + "| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(tb["hdrs"])) + " |\n" + rule)
        for row in tb["rows"]:
            doc.t("|")
            for i, cell in enumerate(row):
                doc.t(" ")
                put(doc, cell, esc_pipe, c.forbid)
                doc.t(" " * (w[i] - len(cstr(cell))) + " |")
            doc.t("\n")
        doc.t(rule + f"{len(tb['rows'])} rows in set (0.0{r.randint(0, 9)} sec)\n")
    else:  # psql style
        if tb["cap"]:
            doc.t("-- " + tb["cap"] + "\n")
        doc.t(f"{tb['name']}=> select " + ", ".join(tb["keys"]) + f" from {tb['name']};\n")
        doc.t("|".join(" " + h.ljust(w[i]) + " " for i, h in enumerate(tb["hdrs"])).rstrip() + "\n")
        doc.t("+".join("-" * (x + 2) for x in w) + "\n")
        for row in tb["rows"]:
            for i, cell in enumerate(row):
                if i:
                    doc.t("|")
                doc.t(" ")
                put(doc, cell, esc_pipe, c.forbid)
                if i < len(row) - 1:
                    doc.t(" " * (w[i] - len(cstr(cell))) + " ")
            doc.t("\n")
        doc.t(f"({len(tb['rows'])} rows)\n")


def r_asciidoc(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t("." + tb["cap"] + "\n")
    doc.t('[cols="' + ",".join(str(r.randint(1, 3)) for _ in tb["hdrs"]) + '", options="header"]\n|===\n')
    doc.t(" ".join("|" + h for h in tb["hdrs"]) + "\n")
    for row in tb["rows"]:
        doc.t("\n")
        for i, cell in enumerate(row):
            doc.t("|")
            put(doc, cell, esc_pipe, c.forbid)
            doc.t("\n" if r.random() < 0.3 or i == len(row) - 1 else " ")
    doc.t("|===\n")
    if tb["note"]:
        doc.t("NOTE: " + tb["note"] + "\n")


def r_xml(doc, c, tb):
    r = c.rng
    doc.t('<?xml version="1.0" encoding="UTF-8"?>\n')
    if tb["cap"]:
        doc.t("<!-- " + tb["cap"] + " -->\n")
    item = tb["name"].rstrip("s") or "item"
    doc.t(f"<{tb['name']}>\n")
    attr = r.random() < 0.3
    for k, row in enumerate(tb["rows"]):
        doc.t(f'  <{item} id="{k + 1}">\n' if attr else f"  <{item}>\n")
        for key, cell in zip(tb["keys"], row):
            tag = re.sub(r"[^A-Za-z0-9_]", "_", key)
            if tag[0].isdigit():
                tag = "f_" + tag
            doc.t(f"    <{tag}>")
            put(doc, cell, esc_html, c.forbid)
            doc.t(f"</{tag}>\n")
        doc.t(f"  </{item}>\n")
    doc.t(f"</{tb['name']}>\n")
    if tb["note"]:
        doc.t("<!-- " + tb["note"] + " -->\n")


def r_sql(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t("-- " + tb["cap"] + "\n")
    if r.random() < 0.4:
        doc.t(f"-- Dump of table `{tb['name']}`\n")
    multi = r.random() < 0.6
    cols = ", ".join(("`%s`" % k) if r.random() < 0 else k for k in tb["keys"])
    if multi:
        doc.t(f"INSERT INTO {tb['name']} ({cols}) VALUES\n")
    for k, row in enumerate(tb["rows"]):
        if not multi:
            doc.t(f"INSERT INTO {tb['name']} ({cols}) VALUES ")
        doc.t("  (" if multi else "(")
        for i, cell in enumerate(row):
            if i:
                doc.t(", ")
            doc.t("'")
            put(doc, cell, esc_sql, c.forbid)
            doc.t("'")
        doc.t(")")
        if multi:
            doc.t(",\n" if k < len(tb["rows"]) - 1 else ";\n")
        else:
            doc.t(";\n")
    if tb["note"]:
        doc.t("-- " + tb["note"] + "\n")


def r_blocks(doc, c, tb):
    r = c.rng
    if tb["cap"]:
        doc.t(tb["cap"] + "\n" + r.choice(["=" * 30, "-" * 30, ""]) + "\n")
    sep = r.choice([": ", " = ", ":\t", " -> "])
    bracket = r.random() < 0.4
    for k, row in enumerate(tb["rows"]):
        if bracket:
            doc.t(f"[{cstr(row[0]) if all(isinstance(p, str) for p in row[0]) else k + 1}]\n")
        for h, cell in zip(tb["hdrs"], row):
            doc.t(h + sep)
            put(doc, cell, esc_line, c.forbid)
            doc.t("\n")
        doc.t("\n" if k < len(tb["rows"]) - 1 else "")
    if tb["note"]:
        doc.t("\n" + tb["note"] + "\n")


def r_rst(doc, c, tb):
    if tb["cap"]:
        doc.t(tb["cap"] + "\n" + "~" * max(len(tb["cap"]), 10) + "\n\n")
    w = _widths(tb["hdrs"], tb["rows"])
    rule = "  ".join("=" * x for x in w) + "\n"
    doc.t(rule + "  ".join(h.ljust(w[i]) for i, h in enumerate(tb["hdrs"])).rstrip() + "\n" + rule)
    for row in tb["rows"]:
        for i, cell in enumerate(row):
            if i:
                doc.t("  ")
            put(doc, cell, esc_line, c.forbid)
            if i < len(row) - 1:
                doc.t(" " * (w[i] - len(cstr(cell))))
        doc.t("\n")
    doc.t(rule)
    if tb["note"]:
        doc.t("\n.. note:: " + tb["note"] + "\n")


RENDER_FN = {
    "markdown": r_markdown,
    "org": r_org,
    "html": r_html,
    "wiki": r_wiki,
    "confluence": r_confluence,
    "csv": r_csv,
    "tsv": r_tsv,
    "spreadsheet": r_spreadsheet,
    "latex": r_latex,
    "json": r_json,
    "yaml": r_yaml,
    "fixed": r_fixed,
    "ascii": r_ascii,
    "asciidoc": r_asciidoc,
    "xml": r_xml,
    "sql": r_sql,
    "blocks": r_blocks,
    "rst": r_rst,
}


# ---------------------------------------------------------------------------
# Formatting helpers for dates, amounts ...
# ---------------------------------------------------------------------------
def fdate(c, y0=2022, y1=2025, fmt=None):
    r = c.rng
    y, m, d = r.randint(y0, y1), r.randint(1, 12), r.randint(1, 28)
    lang = c.lang
    fmt = fmt or r.choice(["iso", "loc", "loc"])
    if fmt == "iso" or lang == "sv":
        return f"{y}-{m:02d}-{d:02d}"
    if lang in ("de", "ru", "pl", "tr"):
        return f"{d:02d}.{m:02d}.{y}"
    if lang in ("fr", "es", "it", "pt"):
        return f"{d:02d}/{m:02d}/{y}"
    if lang == "nl":
        return f"{d:02d}-{m:02d}-{y}"
    if lang in ("zh", "ja"):
        return f"{y}年{m}月{d}日" if r.random() < 0.5 else f"{y}/{m:02d}/{d:02d}"
    return r.choice(
        [
            f"{m:02d}/{d:02d}/{y}",
            f"{d} {['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1]} {y}",
        ]
    )


def fdatetime(c):
    return fdate(c, fmt="iso") + f" {c.rng.randint(0, 23):02d}:{c.rng.randint(0, 59):02d}"


def famount(c, lo=5, hi=4000):
    r = c.rng
    v = r.randint(lo * 100, hi * 100) / 100
    if c.lang in ("de", "es", "it", "pt", "nl", "pl", "ru", "tr", "sv"):
        s = f"{v:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
        return s
    if c.lang == "fr":
        return f"{v:,.2f}".replace(",", " ").replace(".", ",")
    if c.lang == "ja":
        return f"{int(v * 100):,}"
    return f"{v:,.2f}"


CURRENCY = {
    "en": ["GBP", "USD"],
    "de": ["EUR"],
    "fr": ["EUR"],
    "es": ["EUR"],
    "it": ["EUR"],
    "pt": ["BRL", "EUR"],
    "nl": ["EUR"],
    "pl": ["PLN"],
    "ru": ["RUB"],
    "zh": ["CNY"],
    "ja": ["JPY"],
    "sv": ["SEK"],
    "tr": ["TRY"],
}

SITES = [
    "NYC-HQ",
    "FRA-DC2",
    "Lyon-Nord",
    "Sevilla",
    "Bologna-2",
    "Porto",
    "Utrecht",
    "Gdańsk",
    "Novosibirsk",
    "Shenzhen-B",
    "Osaka",
    "Malmö",
    "İzmir",
    "Leeds",
    "Graz",
    "Nantes",
    "Valencia-Puerto",
    "Curitiba",
]
ROUTER_MODELS = [
    "FortiGate 60F",
    "MikroTik RB4011",
    "Cisco ISR 1111",
    "Ubiquiti UDM Pro",
    "Draytek Vigor 2927",
    "Juniper SRX300",
    "Zyxel USG Flex 200",
    "AVM FRITZ!Box 7590",
    "Sophos XGS 116",
    "TP-Link ER7206",
    "pfSense SG-2100",
    "Huawei AR651",
]
CAMERA_MODELS = ["Hikvision DS-2CD2143", "Axis M3106", "Dahua IPC-HDW2431", "Reolink RLC-810A", "Mobotix M16"]
HOST_PARTS = [
    "web",
    "db",
    "app",
    "api",
    "mail",
    "vpn",
    "fw",
    "backup",
    "git",
    "ci",
    "k8s-node",
    "files",
    "erp",
    "crm",
    "monitor",
    "ldap",
    "proxy",
    "edge",
    "build",
    "sftp",
]
DEPTS = {
    "en": ["Finance", "HR", "Sales", "IT", "Logistics"],
    "de": ["Buchhaltung", "Personal", "Vertrieb", "IT", "Lager"],
    "fr": ["Comptabilité", "RH", "Ventes", "Informatique", "Logistique"],
    "es": ["Contabilidad", "RR. HH.", "Ventas", "Sistemas", "Almacén"],
    "it": ["Contabilità", "Risorse umane", "Vendite", "IT", "Magazzino"],
    "pt": ["Financeiro", "RH", "Vendas", "TI", "Logística"],
    "nl": ["Financiën", "HR", "Verkoop", "ICT", "Magazijn"],
    "pl": ["Księgowość", "Kadry", "Sprzedaż", "IT", "Magazyn"],
    "ru": ["Бухгалтерия", "Отдел кадров", "Продажи", "ИТ", "Склад"],
    "zh": ["财务部", "人事部", "销售部", "信息部", "仓储部"],
    "ja": ["経理部", "人事部", "営業部", "情報システム部", "物流部"],
    "sv": ["Ekonomi", "HR", "Försäljning", "IT", "Lager"],
    "tr": ["Muhasebe", "İnsan Kaynakları", "Satış", "Bilgi İşlem", "Depo"],
}
ROLES = ["admin", "editor", "viewer", "owner", "support", "billing", "auditor", "operator"]
STATUS = ["OK", "PAID", "SETTLED", "PENDING", "DECLINED", "REFUNDED", "ACTIVE", "LOCKED"]
PW_SITES = [
    ("Google", "https://accounts.google.com/"),
    ("Amazon", "https://www.amazon.de/ap/signin"),
    ("GitHub", "https://github.com/login"),
    ("Netflix", "https://www.netflix.com/login"),
    ("Intranet", "https://intranet.nordhafen-logistik.de/"),
    ("Router", "http://192.168.178.1/"),
    ("NAS", "https://10.0.0.20:5001/"),
    ("Jira", "https://kestrelworks.atlassian.net/"),
    ("Banking", "https://banking.sparkasse-mittelland.de/login"),
    ("Steam", "https://store.steampowered.com/login/"),
    ("Booking", "https://account.booking.com/sign-in"),
    ("Zoom", "https://zoom.us/signin"),
    ("AWS console", "https://signin.aws.amazon.com/console"),
    ("Webmail", "https://webmail.lumiere-conseil.fr/"),
    ("Dropbox", "https://www.dropbox.com/login"),
    ("Figma", "https://www.figma.com/login"),
    ("Grafana", "https://grafana.polderdata.nl/login"),
    ("VK", "https://vk.com/"),
    ("Taobao", "https://login.taobao.com/"),
    ("Rakuten", "https://login.account.rakuten.com/"),
]
PLATFORMS = [
    "Instagram",
    "X / Twitter",
    "LinkedIn",
    "Facebook",
    "TikTok",
    "YouTube",
    "Pinterest",
    "VK",
    "Weibo",
    "LINE",
]


def gen_b64_alnum_start(rng, nbytes):
    while True:
        v = b64(rbytes(rng, nbytes))
        if v[0].isalnum():
            return v


def hostname(c):
    r = c.rng
    base = r.choice(HOST_PARTS) + r.choice(["-", ""]) + f"{r.randint(1, 24):02d}"
    return base + r.choice(
        ["", "", ".corp.lan", ".int", "-" + r.choice(["fra", "ams", "waw", "par", "tyo", "gru"]) + str(r.randint(1, 3))]
    )


def safe(fn):
    for _ in range(500):
        v = fn()
        if clean_plain(v):
            return v
    raise RuntimeError("unsafe plain value")


def serial(c):
    g = Gen(c.rng)
    return safe(
        lambda: c.rng.choice(
            [
                lambda: g.s(UP + DIG, 12),
                lambda: "FGT" + g.digits(2) + "F" + g.s(UP + DIG, 9),
                lambda: "FCW" + g.digits(4) + g.s(UP, 1) + g.s(UP + DIG, 3),
                lambda: "SN-" + g.s(UP + DIG, 10),
                lambda: "C02" + g.s(UP + DIG, 9),
                lambda: g.s(UP, 2) + g.digits(8) + g.s(UP, 1),
            ]
        )()
    )


def mac(c):
    sep = c.rng.choice([":", "-", ":"])
    s = sep.join(format(c.rng.randrange(256), "02x") for _ in range(6))
    return s.upper() if c.rng.random() < 0.4 else s


def lab_ip(c, v6_share=0.25):
    return L(pub_ip6(c.rng) if c.rng.random() < v6_share else pub_ip4(c.rng), "IP_ADDRESS")


def wan_cell(c):
    r = c.rng
    ip = pub_ip4(r) if r.random() < 0.85 else pub_ip6(r)
    k = r.random()
    if ":" in ip:
        if k < 0.5:
            return [L(ip, "IP_ADDRESS")]
        return ["https://[", L(ip, "IP_ADDRESS"), f"]:{r.choice([443, 8443, 4443])}"]
    if k < 0.6:
        return [L(ip, "IP_ADDRESS")]
    if k < 0.8:
        return [L(ip, "IP_ADDRESS"), f":{r.choice([8443, 443, 10443, 4433, 8080])}"]
    return [r.choice(["https://", "http://"]), L(ip, "IP_ADDRESS"), f":{r.choice([8443, 4444, 8291, 443])}/"]


def conn_cell(c):
    r = c.rng
    url_forbid = "@:/?#%&;=[]'\" \\"
    pw = c.pw(url_forbid)
    user = r.choice(["app", "app_rw", "svc_orders", "reporting", "postgres", "admin", "etl", "web"])
    db = r.choice(["orders", "crm", "billing", "inventory", "analytics", "shop", "hr"])
    hk = r.random()
    if hk < 0.35:
        host = [L(pub_ip4(r), "IP_ADDRESS")]
    elif hk < 0.6:
        host = [priv_ip4(r)]
    else:
        host = [hostname(c)]
    kind = r.choice(["postgres", "mysql", "mongodb", "redis", "amqp", "mssql", "jdbc", "postgres", "mysql"])
    port = {"postgres": 5432, "mysql": 3306, "mongodb": 27017, "redis": 6379, "amqp": 5672}.get(kind)
    if kind == "redis":
        return (
            ["redis://", user if r.random() < 0.3 else "", ":", L(pw, "SECRET", "password"), "@"]
            + host
            + [f":{port}/0"]
        )
    if kind == "mssql":
        return ["Server="] + host + [f",1433;Database={db};User Id={user};Password=", L(pw, "SECRET", "password"), ";"]
    if kind == "jdbc":
        return ["jdbc:mysql://"] + host + [f":3306/{db}?user={user}&password=", L(pw, "SECRET", "password")]
    scheme = {"postgres": r.choice(["postgres", "postgresql"]), "mysql": "mysql", "mongodb": "mongodb", "amqp": "amqp"}[
        kind
    ]
    return [f"{scheme}://{user}:", L(pw, "SECRET", "password"), "@"] + host + [f":{port}/{db}"]


def cidr_cell(c):
    r = c.rng
    if r.random() < 0.2:
        return [L(pub_ip6(r), "IP_ADDRESS")] + ([f"/{r.choice([48, 56, 64, 128])}"] if r.random() < 0.5 else [])
    while True:
        ip = pub_ip4(r)
        p = r.choice([32, 32, 32, 29, 28, 24])
        net = str(ipaddress.ip_network(f"{ip}/{p}", strict=False).network_address)
        if ip_public(net):
            break
    if p == 32 and r.random() < 0.5:
        return [L(net, "IP_ADDRESS")]
    return [L(net, "IP_ADDRESS"), f"/{p}"]


def auth_cell(c):
    r = c.rng
    k = r.random()
    if k < 0.4:
        user = r.choice(["api", "svc-export", "monitor", "jenkins", "partner42", "webhook", "backup"])
        pw = gen_password(r, ":")
        return ["Basic ", L(b64(f"{user}:{pw}".encode()), "SECRET", "basic_auth")]
    if k < 0.75:
        return ["Bearer ", L(gen_jwt(r), "SECRET", "jwt")]
    if k < 0.9:
        nm, v = gen_vendor(r, c.forbid + " ")
        return ["Bearer ", L(v, "SECRET", "vendor")]
    return ["token ", L("ghp_" + Gen(r).alnum(36), "SECRET", "vendor")]


def vendor_key_cell(c, st):
    nm, v = gen_vendor(c.rng, c.forbid)
    st["vendor"] = nm
    return v


def person_of(c, st):
    if "p" not in st:
        st["p"] = c.person()
    return st["p"]


# Positive field generators: (ctx, row_state) -> cell
FG = {
    "name": lambda c, st: [person_of(c, st).display],
    "user": lambda c, st: [person_of(c, st).user],
    "login": lambda c, st: [L(person_of(c, st).email, "EMAIL_ADDRESS")] if c.p(0.5) else [person_of(c, st).user],
    "email": lambda c, st: [L(person_of(c, st).email, "EMAIL_ADDRESS")],
    "owner_email": lambda c, st: [L(c.person().new_email(corp=True), "EMAIL_ADDRESS")],
    "password": lambda c, st: [L(c.pw(), "SECRET", "password")],
    "temp_password": lambda c, st: [L(c.pw(style=c.rng.choice(["rand", "lowdig", "words"])), "SECRET", "password")],
    "admin_password": lambda c, st: [L(c.pw(), "SECRET", "password")],
    "admin_user": lambda c, st: [
        c.rng.choice(["admin", "root", "administrator", "netadmin", "support", "ubnt", "manager", "superuser"])
    ],
    "psk": lambda c, st: [L(c.pw(style=c.rng.choice(["rand", "phrase", "words", "b62"])), "SECRET", "password")],
    "code": lambda c, st: [L(gen_code(c.rng), "SECRET", "code")],
    "recovery_code": lambda c, st: [L(gen_code(c.rng), "SECRET", "code")],
    "wan_ip": lambda c, st: wan_cell(c),
    "public_ip": lambda c, st: [lab_ip(c)],
    "client_ip": lambda c, st: [lab_ip(c, 0.3)],
    "gateway": lambda c, st: (
        [lab_ip(c, 0.15)] if c.p(0.8) else [lab_ip(c, 0.0), f":{c.rng.choice([443, 1194, 51820, 500])}"]
    ),
    "relay": lambda c, st: [lab_ip(c, 0.1)],
    "lan_ip": lambda c, st: [priv_ip4(c.rng) if c.p(0.9) else priv_ip6(c.rng)],
    "tunnel_ip": lambda c, st: [priv_ip4(c.rng)],
    "host": lambda c, st: [hostname(c)],
    "card": lambda c, st: [L(fmt_card(c.rng, gen_card(c.rng)), "CREDIT_CARD")],
    "expiry": lambda c, st: [f"{c.rng.randint(1, 12):02d}/{c.rng.randint(25, 31)}"],
    "cvv": lambda c, st: [f"{c.rng.randint(100, 999)}"],
    "amount": lambda c, st: [famount(c)],
    "currency": lambda c, st: [c.rng.choice(CURRENCY[c.lang])],
    "status": lambda c, st: [c.rng.choice(STATUS)],
    "service": lambda c, st: [st["vendor"]],
    "api_key": lambda c, st: [L(st.pop("key"), "SECRET", "vendor")],
    "env": lambda c, st: [c.rng.choice(["prod", "production", "staging", "dev", "test", "qa"])],
    "created": lambda c, st: [fdate(c)],
    "date": lambda c, st: [fdate(c)],
    "last_login": lambda c, st: [fdatetime(c)],
    "modified": lambda c, st: [fdatetime(c)],
    "last_seen": lambda c, st: [fdatetime(c)],
    "valid_until": lambda c, st: [fdate(c, 2025, 2027)],
    "expires": lambda c, st: [fdate(c, 2025, 2027)],
    "scope": lambda c, st: [
        c.rng.choice(
            ["read", "read, write", "repo, workflow", "orders:read orders:write", "admin", "deploy", "full access"]
        )
    ],
    "role": lambda c, st: [c.rng.choice(ROLES)],
    "department": lambda c, st: [c.rng.choice(DEPTS[c.lang])],
    "notes": lambda c, st: [c.note()],
    "location": lambda c, st: [c.rng.choice(SITES)],
    "device": lambda c, st: [
        c.rng.choice(["rtr", "fw", "gw", "edge"])
        + "-"
        + c.rng.choice(SITES).split("-")[0].lower()
        + f"-{c.rng.randint(1, 9)}"
    ],
    "model": lambda c, st: [c.rng.choice(ROUTER_MODELS)],
    "serial": lambda c, st: [serial(c)],
    "firmware": lambda c, st: [f"{c.rng.randint(1, 7)}.{c.rng.randint(0, 20)}.{c.rng.randint(0, 9)}"],
    "os": lambda c, st: [
        c.rng.choice(["Ubuntu 22.04", "Debian 12", "RHEL 9.3", "Windows Server 2022", "AlmaLinux 9", "FreeBSD 14.0"])
    ],
    "ssid": lambda c, st: [
        c.rng.choice(
            ["Office", "Guest", "Staff", "IoT", "Lager", "Bureau", "Oficina", "Magazyn", "Warehouse", "Showroom"]
        )
        + c.rng.choice(["", "-5G", "_2G", "-WPA3", " Corp"])
    ],
    "security": lambda c, st: [c.rng.choice(["WPA2-PSK", "WPA2/WPA3", "WPA3-SAE", "WPA2-Personal"])],
    "vlan": lambda c, st: [str(c.rng.choice([10, 20, 30, 40, 99, 100, 110, 200]))],
    "connection": lambda c, st: conn_cell(c),
    "sys": lambda c, st: [
        c.rng.choice(["ERP", "CRM", "Shop", "Reporting", "HR portal", "Warehouse", "Billing", "Analytics"])
    ],
    "account": lambda c, st: [
        c.rng.choice(["prod-billing", "sandbox", "data-lake", "shared-services", "ml-research", "legacy", "backup"])
        + c.rng.choice(["", "-eu", "-us", "-02"])
    ],
    "region": lambda c, st: [
        c.rng.choice(["eu-central-1", "eu-west-1", "us-east-1", "ap-northeast-1", "eu-north-1", "sa-east-1"])
    ],
    "endpoint": lambda c, st: [
        "https://"
        + c.rng.choice(["hooks", "api", "events", "notify"])
        + "."
        + c.rng.choice(CORP_MAIL[c.lang])
        + "/"
        + c.rng.choice(["stripe", "github", "shopify", "billing", "webhooks/in"])
    ],
    "event": lambda c, st: [
        c.rng.choice(["invoice.paid", "push", "orders/create", "charge.refunded", "customer.created", "release"])
    ],
    "signing_secret": lambda c, st: [
        L(
            c.rng.choice(["whsec_" + Gen(c.rng).alnum(32), Gen(c.rng).hexs(64), "shpss_" + Gen(c.rng).hexs(32)]),
            "SECRET",
            "generic",
        )
    ],
    "session": lambda c, st: [
        L(
            gen_jwt(c.rng) if c.p(0.55) else Gen(c.rng).s(c.rng.choice([ALNUM, HEX]), c.rng.choice([32, 40, 64])),
            "SECRET",
            "session",
        )
    ],
    "user_agent": lambda c, st: [
        c.rng.choice(
            [
                "Firefox 125 / Windows",
                "Chrome 124 / macOS",
                "Safari 17 / iOS",
                "okhttp/4.12",
                "curl/8.5.0",
                "Edge 123 / Windows",
            ]
        )
    ],
    "customer_no": lambda c, st: [f"C-{c.rng.randint(100000, 999999)}"],
    "city": lambda c, st: [c.rng.choice(SITES).split("-")[0]],
    "phone": lambda c, st: [
        safe(
            lambda: (
                c.rng.choice(["+44 20 ", "+49 30 ", "+33 1 ", "+34 91 ", "+39 02 ", "+81 3-", "+46 8 "])
                + f"{c.rng.randint(1000, 9999)} {c.rng.randint(1000, 9999)}"
            )
        )
    ],
    "rule": lambda c, st: [
        c.rng.choice(
            ["partner-sftp", "office-nyc", "monitoring", "payment-gw", "home-office", "backup-dc", "support-vendor"]
        )
    ],
    "cidr": lambda c, st: cidr_cell(c),
    "port": lambda c, st: [str(c.rng.choice([22, 443, 8443, 3389, 5432, 993, 21, 2222]))],
    "auth_header": lambda c, st: auth_cell(c),
    "room": lambda c, st: [
        c.rng.choice(
            ["Server room", "Main entrance", "Archive", "Lab 2", "Garage", "Roof", "Stock room", "Alarm panel", "Safe"]
        )
        if c.lang == "en"
        else c.hdr("room") + f" {c.rng.randint(1, 40)}"
    ],
    "namespace": lambda c, st: [c.rng.choice(["default", "payments", "monitoring", "prod", "ingress", "data"])],
    "secret_name": lambda c, st: [
        c.rng.choice(["db-credentials", "smtp-auth", "app-secrets", "registry-pass", "redis-auth", "ldap-bind"])
    ],
    "data_key": lambda c, st: [
        c.rng.choice(["password", "DB_PASSWORD", "smtp_pass", "redis-password", "bind_pw", "token"])
    ],
    "data_value": lambda c, st: [L(b64(c.pw().encode()), "SECRET", "k8s_b64")],
    "mailbox": lambda c, st: [L(person_of(c, st).new_email(corp=True), "EMAIL_ADDRESS")],
    "imap_host": lambda c, st: [c.rng.choice(["mail.", "imap.", "mx1."]) + c.rng.choice(CORP_MAIL[c.lang])],
    "quota": lambda c, st: [f"{c.rng.choice([2, 5, 10, 25, 50])} GB"],
    "txn": lambda c, st: [safe(lambda: "tx_" + Gen(c.rng).alnum(14))],
    "score": lambda c, st: [str(c.rng.randint(1, 99))],
    "path": lambda c, st: [c.rng.choice(["/upload", "/exports/daily", "/home/partner", "/data/in", "/"])],
    "camera": lambda c, st: [c.rng.choice(CAMERA_MODELS)],
    "exchange": lambda c, st: [c.rng.choice(["Binance", "Kraken", "Bitstamp", "Coinbase Advanced", "OKX", "Bybit"])],
    "api_key_g": lambda c, st: [L(Gen(c.rng).alnum(64), "SECRET", "generic")],
    "api_secret": lambda c, st: [
        L(
            c.rng.choice([Gen(c.rng).alnum(64), Gen(c.rng).hexs(64), gen_b64_alnum_start(c.rng, 64)]),
            "SECRET",
            "generic",
        )
    ],
    "permissions": lambda c, st: [c.rng.choice(["read-only", "trade", "trade, no withdrawals", "read, trade"])],
    "platform": lambda c, st: [c.rng.choice(PLATFORMS)],
    "handle": lambda c, st: ["@" + person_of(c, st).user.replace(".", "_")],
    "client": lambda c, st: [
        c.rng.choice(["mobile-app", "partner-portal", "reporting-job", "pos-terminal", "erp-connector"])
    ],
    "jwt": lambda c, st: [L(gen_jwt(c.rng), "SECRET", "jwt")],
    "access_key_id": lambda c, st: [L(st["aws"][0], "SECRET", "aws_akid")],
    "secret_access_key": lambda c, st: [L(st["aws"][1], "SECRET", "aws_secret")],
    "start_date": lambda c, st: [fdate(c, 2025, 2025)],
    "title": lambda c, st: [st["site"][0]],
    "login_url": lambda c, st: [st["site"][1]],
}


# Positive schemas: name -> (topic, table_name, column order, required, optional, row_init)
def _init_vendor(c, st):
    nm, v = gen_vendor(c.rng, c.forbid)
    st["vendor"], st["key"] = nm, v


def _init_aws(c, st):
    st["aws"] = gen_aws(c.rng)
    if any(ch in c.forbid for ch in st["aws"][1]):
        raise BadValue("aws")


def _init_site(c, st):
    st["site"] = c.rng.choice(PW_SITES)


CI_VARS = [
    ("NPM_TOKEN", "npm"),
    ("PYPI_API_TOKEN", "PyPI"),
    ("SLACK_BOT_TOKEN", "Slack bot"),
    ("DOCKERHUB_TOKEN", "Docker Hub"),
    ("SONAR_TOKEN", "SonarQube"),
    ("HF_TOKEN", "Hugging Face"),
    ("DIGITALOCEAN_ACCESS_TOKEN", "DigitalOcean"),
    ("GITLAB_TOKEN", "GitLab"),
    ("TF_API_TOKEN", "Terraform Cloud"),
    ("DATADOG_API_KEY", "Datadog API"),
    ("SENTRY_AUTH_TOKEN", "Sentry"),
    ("NETLIFY_AUTH_TOKEN", "Netlify"),
    ("ANTHROPIC_API_KEY", "Anthropic"),
    ("OPENAI_API_KEY", "OpenAI project"),
    ("LINEAR_API_KEY", "Linear"),
    ("POSTMAN_API_KEY", "Postman"),
    ("CLOUDFLARE_API_TOKEN", "Cloudflare"),
    ("FIGMA_TOKEN", "Figma"),
    ("SUPABASE_ACCESS_TOKEN", "Supabase"),
    ("DATABRICKS_TOKEN", "Databricks"),
    ("PULUMI_ACCESS_TOKEN", "Pulumi"),
    ("ASANA_PAT", "Asana"),
    ("DOPPLER_TOKEN", "Doppler"),
    ("GRAFANA_SA_TOKEN", "Grafana"),
    ("NEW_RELIC_API_KEY", "New Relic"),
    ("VAULT_TOKEN", "Vault"),
    ("TELEGRAM_BOT_TOKEN", "Telegram bot"),
    ("DISCORD_BOT_TOKEN", "Discord bot"),
    ("SQUARE_ACCESS_TOKEN", "Square"),
    ("ATLASSIAN_API_TOKEN", "Atlassian"),
    ("BITBUCKET_APP_PASSWORD", "Bitbucket"),
    ("OKTA_API_TOKEN", "Okta"),
    ("DROPBOX_TOKEN", "Dropbox"),
    ("STRIPE_API_KEY", "Stripe"),
    ("SHOPIFY_ACCESS_TOKEN", "Shopify Admin API"),
    ("MAILCHIMP_API_KEY", "Mailchimp"),
    ("GH_PAT", "GitHub (fine-grained)"),
]
CI_PLAIN = [
    ("AWS_REGION", "eu-central-1"),
    ("NODE_VERSION", "20"),
    ("DEPLOY_ENV", "staging"),
    ("IMAGE_NAME", "shop-api"),
    ("PYTHON_VERSION", "3.12"),
    ("SENTRY_ORG", "kestrelworks"),
]


def _init_ci(c, st):
    if c.rng.random() < 0.2:
        st["ci"] = c.rng.choice(CI_PLAIN) + (False,)
        return
    var, vendor = c.rng.choice(CI_VARS)
    nm, v = gen_vendor(c.rng, c.forbid, vendor)
    st["ci"] = (var, v, True)


FG["ci_var"] = lambda c, st: [st["ci"][0]]
FG["ci_value"] = lambda c, st: [L(st["ci"][1], "SECRET", "vendor")] if st["ci"][2] else [st["ci"][1]]
FG["protected"] = lambda c, st: [c.rng.choice(["yes", "no", "true", "false", "✓", ""])]

POS_SCHEMAS = [
    (
        "accounts",
        "accounts",
        "accounts",
        ["name", "user", "email", "department", "role", "password", "created", "last_login"],
        ["name", "email", "password"],
        ["user", "department", "role", "created", "last_login"],
        None,
    ),
    (
        "router_inventory",
        "network",
        "devices",
        ["location", "device", "model", "serial", "wan_ip", "lan_ip", "admin_user", "admin_password", "firmware"],
        ["location", "wan_ip", "admin_password"],
        ["device", "model", "serial", "lan_ip", "admin_user", "firmware"],
        None,
    ),
    (
        "servers",
        "servers",
        "servers",
        ["host", "public_ip", "os", "user", "password", "env"],
        ["host", "public_ip", "password"],
        ["os", "user", "env"],
        None,
    ),
    (
        "payments",
        "payments",
        "payments",
        ["date", "customer_no", "name", "email", "card", "expiry", "amount", "currency", "status"],
        ["name", "card"],
        ["date", "customer_no", "email", "expiry", "amount", "currency", "status"],
        None,
    ),
    (
        "api_keys",
        "keys",
        "api_keys",
        ["service", "env", "api_key", "owner_email", "created", "scope"],
        ["service", "api_key"],
        ["env", "owner_email", "created", "scope"],
        _init_vendor,
    ),
    (
        "password_vault",
        "vault",
        "entries",
        ["title", "login_url", "login", "password", "notes", "modified"],
        ["title", "login", "password"],
        ["login_url", "notes", "modified"],
        _init_site,
    ),
    (
        "wifi",
        "wifi",
        "networks",
        ["location", "ssid", "security", "psk", "vlan"],
        ["ssid", "psk"],
        ["location", "security", "vlan"],
        None,
    ),
    (
        "db_connections",
        "servers",
        "connections",
        ["sys", "env", "connection", "notes"],
        ["sys", "connection"],
        ["env", "notes"],
        None,
    ),
    (
        "vpn_users",
        "vpn",
        "vpn_users",
        ["name", "user", "email", "password", "tunnel_ip", "gateway"],
        ["user", "password", "gateway"],
        ["name", "email", "tunnel_ip"],
        None,
    ),
    (
        "cloud_keys",
        "keys",
        "credentials",
        ["account", "access_key_id", "secret_access_key", "region", "created"],
        ["account", "access_key_id", "secret_access_key"],
        ["region", "created"],
        _init_aws,
    ),
    (
        "webhooks",
        "keys",
        "webhooks",
        ["endpoint", "event", "signing_secret", "created"],
        ["endpoint", "signing_secret"],
        ["event", "created"],
        None,
    ),
    (
        "sessions",
        "sessions",
        "sessions",
        ["user", "client_ip", "user_agent", "session", "last_seen"],
        ["user", "client_ip", "session"],
        ["user_agent", "last_seen"],
        None,
    ),
    (
        "customers",
        "customers",
        "customers",
        ["customer_no", "name", "email", "city", "phone", "created"],
        ["name", "email"],
        ["customer_no", "city", "phone", "created"],
        None,
    ),
    ("allowlist", "network", "allowlist", ["rule", "cidr", "port", "notes"], ["rule", "cidr"], ["port", "notes"], None),
    (
        "service_auth",
        "keys",
        "service_accounts",
        ["sys", "user", "auth_header", "notes"],
        ["sys", "auth_header"],
        ["user", "notes"],
        None,
    ),
    (
        "access_codes",
        "codes",
        "door_codes",
        ["room", "code", "valid_until", "notes"],
        ["room", "code"],
        ["valid_until", "notes"],
        None,
    ),
    (
        "k8s_secrets",
        "keys",
        "secrets",
        ["namespace", "secret_name", "data_key", "data_value"],
        ["secret_name", "data_key", "data_value"],
        ["namespace"],
        None,
    ),
    (
        "mailboxes",
        "mail",
        "mailboxes",
        ["name", "mailbox", "password", "imap_host", "quota"],
        ["mailbox", "password"],
        ["name", "imap_host", "quota"],
        None,
    ),
    (
        "onboarding",
        "onboarding",
        "new_hires",
        ["name", "department", "email", "temp_password", "serial", "start_date"],
        ["name", "email", "temp_password"],
        ["department", "serial", "start_date"],
        None,
    ),
    (
        "fraud_log",
        "payments",
        "transactions",
        ["txn", "date", "card", "client_ip", "email", "amount", "score"],
        ["txn", "card", "client_ip"],
        ["date", "email", "amount", "score"],
        None,
    ),
    (
        "sftp_hosts",
        "servers",
        "sftp_hosts",
        ["host", "public_ip", "port", "user", "password", "path"],
        ["public_ip", "user", "password"],
        ["host", "port", "path"],
        None,
    ),
    (
        "cameras",
        "network",
        "cameras",
        ["location", "camera", "public_ip", "port", "admin_user", "admin_password", "firmware"],
        ["camera", "public_ip", "admin_password"],
        ["location", "port", "admin_user", "firmware"],
        None,
    ),
    (
        "exchange_keys",
        "keys",
        "exchange_keys",
        ["exchange", "api_key_g", "api_secret", "permissions"],
        ["exchange", "api_key_g", "api_secret"],
        ["permissions"],
        None,
    ),
    (
        "social_accounts",
        "accounts",
        "social_accounts",
        ["platform", "handle", "email", "password", "recovery_code"],
        ["platform", "email", "password"],
        ["handle", "recovery_code"],
        None,
    ),
    (
        "smtp_relays",
        "mail",
        "smtp_relays",
        ["relay", "port", "user", "password", "owner_email"],
        ["relay", "user", "password"],
        ["port", "owner_email"],
        None,
    ),
    ("client_tokens", "keys", "tokens", ["client", "jwt", "expires"], ["client", "jwt"], ["expires"], None),
    (
        "pw_reset_list",
        "accounts",
        "accounts",
        ["name", "login", "temp_password", "expires"],
        ["login", "temp_password"],
        ["name", "expires"],
        None,
    ),
    (
        "ci_variables",
        "keys",
        "variables",
        ["ci_var", "ci_value", "env", "protected"],
        ["ci_var", "ci_value"],
        ["env", "protected"],
        _init_ci,
    ),
    (
        "card_on_file",
        "payments",
        "cards",
        ["name", "card", "expiry", "email", "notes"],
        ["card", "expiry"],
        ["name", "email", "notes"],
        None,
    ),
]
MK = {
    "login_url": "url",
    "api_key_g": "api_key",
    "sys": "system",
    "card": "card_number",
    "psk": "wifi_password",
    "code": "access_code",
    "connection": "connection_string",
    "session": "session_token",
    "auth_header": "authorization",
    "data_value": "value",
    "jwt": "access_token",
    "relay": "smtp_host",
    "cidr": "source",
    "public_ip": "ip",
    "customer_no": "customer_id",
    "txn": "transaction_id",
    "name": "full_name",
    "password_placeholder": "password",
    "email_reserved": "email",
    "card_masked": "card_number",
    "doc_ip": "ip",
    "author_user": "author",
    "phone_model": "model",
    "record_name": "name",
    "record_type": "type",
}


# ---------------------------------------------------------------------------
# Hard-negative value generators (all unlabelled)
# ---------------------------------------------------------------------------
def uuid4(r):
    g = Gen(r)
    while True:
        u = f"{g.hexs(8)}-{g.hexs(4)}-4{g.hexs(3)}-{r.choice('89ab')}{g.hexs(3)}-{g.hexs(12)}"
        if clean_plain(u):
            return u


def ean13(r):
    while True:
        pre = r.choice(
            [
                "400",
                "401",
                "402",
                "426",
                "440",
                "300",
                "340",
                "84",
                "80",
                "87",
                "590",
                "460",
                "690",
                "693",
                "45",
                "49",
                "73",
                "869",
                "50",
                "00",
                "03",
            ]
        )
        body = pre + "".join(r.choice(DIG) for _ in range(12 - len(pre)))
        s = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(body))
        v = body + str((10 - s % 10) % 10)
        if clean_plain(v):
            return v


def isbn13(r):
    while True:
        body = "978" + r.choice(["3", "2", "84", "88", "85", "90", "83", "5", "7", "4", "91", "605"])
        body += "".join(r.choice(DIG) for _ in range(12 - len(body)))
        s = sum(int(ch) * (3 if i % 2 else 1) for i, ch in enumerate(body))
        v = body + str((10 - s % 10) % 10)
        out = f"{v[:3]}-{v[3]}-{v[4:8]}-{v[8:12]}-{v[12]}" if r.random() < 0.6 else v
        if clean_plain(out):
            return out


def imei(r):
    while True:
        tac = r.choice(["35", "86", "01"]) + "".join(r.choice(DIG) for _ in range(6))
        body = tac + "".join(r.choice(DIG) for _ in range(6))
        for ch in DIG:
            if luhn_ok(body + ch):
                v = body + ch
                break
        out = v if r.random() < 0.6 else f"{v[:2]}-{v[2:8]}-{v[8:14]}-{v[14]}"
        if clean_plain(out):
            return out


def bcrypt_hash(r):
    return f"$2{r.choice('aby')}${r.choice(['10', '12', '12', '13'])}$" + Gen(r).s(ALNUM + "./", 53)


def pw_hash(r):
    g = Gen(r)
    k = r.randrange(8)
    if k < 2:
        return bcrypt_hash(r)
    if k == 2:
        return "$6$" + g.s(ALNUM + "./", 16) + "$" + g.s(ALNUM + "./", 86)
    if k == 3:
        return "$1$" + g.s(ALNUM + "./", 8) + "$" + g.s(ALNUM + "./", 22)
    if k == 4:
        return "$argon2id$v=19$m=65536,t=3,p=4$" + g.s(ALNUM + "+/", 22) + "$" + g.s(ALNUM + "+/", 43)
    if k == 5:
        return "$5$rounds=535000$" + g.s(ALNUM + "./", 16) + "$" + g.s(ALNUM + "./", 43)
    if k == 6:
        return "pbkdf2_sha256$600000$" + g.alnum(22) + "$" + b64(rbytes(r, 32))
    return "$" + r.choice("89") + "$" + g.s(ALNUM + "./", 14) + "$" + g.s(ALNUM + "./", 43)


def masked_card(r):
    last = f"{r.randint(0, 9999):04d}"
    return r.choice(
        [
            f"**** **** **** {last}",
            f"XXXX-XXXX-XXXX-{last}",
            f"************{last}",
            f"{r.choice(['4', '5'])}{r.randint(10000, 99999)}******{last}",
            f"•••• {last}",
            f"Visa ending in {last}",
            f"MC ****{last}",
            f"AMEX ***** {last[:3]}",
        ]
    )


def wallet(r, net):
    g = Gen(r)
    if net == "Bitcoin":
        return r.choice(
            [
                "bc1q" + g.s("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38),
                "3" + g.s("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33),
            ]
        )
    if net == "Ethereum":
        return "0x" + g.s("0123456789abcdefABCDEF", 40)
    if net == "Litecoin":
        return "ltc1q" + g.s("qpzry9x8gf2tvdw0s3jn54khce6mua7l", 38)
    return "T" + g.s("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 33)


PLACEHOLDERS = [
    "********",
    "${DB_PASSWORD}",
    "{{ vault_smtp_password }}",
    "<set in Vault>",
    "[REDACTED]",
    "••••••••",
    "%SMTP_PASS%",
    "env:API_TOKEN",
    "<redacted>",
    "(stored in 1Password)",
    "n/a",
    "${{ secrets.DEPLOY_TOKEN }}",
    "$(cat /run/secrets/db_pass)",
    "{{ lookup('env', 'ADMIN_PW') }}",
    "ask the service desk",
    "see KeePass entry",
    "***",
    "<hidden>",
    "ref+vault://secret/app#pw",
]
PLACEHOLDERS_LOC = {
    "de": ["siehe Tresor", "liegt im Safe", "beim Admin erfragen"],
    "fr": ["voir le coffre", "demander à l'admin"],
    "es": ["ver gestor de contraseñas", "pedir a soporte"],
    "it": ["vedi cassaforte", "chiedere all'IT"],
    "pt": ["ver cofre de senhas", "pedir ao suporte"],
    "nl": ["zie kluis", "vraag de beheerder"],
    "pl": ["patrz sejf haseł", "zapytać admina"],
    "ru": ["см. сейф", "запросить у админа"],
    "zh": ["见密码库", "向管理员索取"],
    "ja": ["パスワード金庫参照", "管理者に確認"],
    "sv": ["se valvet", "fråga admin"],
    "tr": ["kasaya bakın", "yöneticiye sorun"],
    "en": ["see vault", "ask IT"],
}
PRODUCTS = [
    "Steel bracket 40 mm",
    "USB-C cable 2 m",
    "Office chair Ergo 3",
    "LED panel 60x60",
    "Toner cartridge black",
    "Nitrile gloves M",
    "Pallet wrap 500 mm",
    "Label printer ribbon",
    "Safety boots S3 size 43",
    "Hex bolts M8 x 30",
    "Cable ties 200 mm",
    "Whiteboard markers",
    "Copy paper A4 80 g",
    "Drill bit set HSS",
    "Ethernet patch cable Cat6 3 m",
    "Desk lamp",
    "Wall plug 6 mm",
    "Hand sanitiser 500 ml",
]
PACKAGES = [
    "openssl",
    "nginx",
    "postgresql",
    "django",
    "react",
    "numpy",
    "kubernetes",
    "log4j-core",
    "spring-boot",
    "node",
    "python",
    "redis",
    "curl",
    "libxml2",
    "terraform",
    "grafana",
    "rails",
    "laravel/framework",
]
COMMIT_MSGS = [
    "fix: handle empty cart",
    "feat: add export button",
    "chore: bump deps",
    "refactor invoice totals",
    "docs: update README",
    "fix typo in migration",
    "ci: cache pip wheels",
    "perf: batch inserts",
    "revert flaky test",
    "feat(api): pagination for orders",
]
EVENTS = {
    "en": ["Team meeting", "Quarterly review", "Fire drill", "Training", "Client visit"],
    "de": ["Teambesprechung", "Quartalsgespräch", "Brandschutzübung", "Schulung", "Kundenbesuch"],
    "fr": ["Réunion d'équipe", "Revue trimestrielle", "Exercice incendie", "Formation", "Visite client"],
    "es": ["Reunión de equipo", "Revisión trimestral", "Simulacro de incendio", "Formación", "Visita de cliente"],
    "it": ["Riunione di team", "Revisione trimestrale", "Prova antincendio", "Formazione", "Visita cliente"],
    "pt": ["Reunião de equipe", "Revisão trimestral", "Simulado de incêndio", "Treinamento", "Visita de cliente"],
    "nl": ["Teamoverleg", "Kwartaalreview", "Brandoefening", "Training", "Klantbezoek"],
    "pl": ["Spotkanie zespołu", "Przegląd kwartalny", "Ćwiczenia przeciwpożarowe", "Szkolenie", "Wizyta klienta"],
    "ru": ["Планёрка", "Квартальный обзор", "Учебная тревога", "Обучение", "Визит клиента"],
    "zh": ["团队例会", "季度评审", "消防演习", "培训", "客户来访"],
    "ja": ["定例会議", "四半期レビュー", "避難訓練", "研修", "顧客訪問"],
    "sv": ["Teammöte", "Kvartalsgenomgång", "Brandövning", "Utbildning", "Kundbesök"],
    "tr": ["Ekip toplantısı", "Çeyrek değerlendirme", "Yangın tatbikatı", "Eğitim", "Müşteri ziyareti"],
}
EXAMPLE_VALUES = [
    ("AWS", "AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS", "AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
    ("Stripe", "STRIPE_SECRET_KEY", "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"),
    ("GitHub", "GITHUB_TOKEN", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("OpenAI", "OPENAI_API_KEY", "your_openai_api_key"),
    ("Slack", "SLACK_BOT_TOKEN", "xoxb-your-bot-token"),
    ("SendGrid", "SENDGRID_API_KEY", "SG.your_api_key_here"),
    ("Google", "GOOGLE_API_KEY", "AIzaSyEXAMPLE-placeholder-key"),
    ("Database", "DB_PASSWORD", "your_password_here"),
    ("Twilio", "TWILIO_AUTH_TOKEN", "your_auth_token"),
    ("Mailgun", "MAILGUN_API_KEY", "key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
    ("JWT", "JWT_SECRET", "<your-jwt-secret>"),
]


def nfg(r, c):
    """Negative field generators bound to ctx c."""
    g = Gen(r)
    P = lambda: c.person()
    return {
        "sku": lambda: safe(
            lambda: r.choice(
                [
                    f"{g.s(UP, 2)}-{g.digits(4)}-{r.choice(['BLK', 'WHT', 'RED', 'GRY'])}",
                    f"SKU-{g.digits(5)}",
                    f"{g.digits(3)}.{g.digits(3)}.{g.digits(2)}",
                    f"{g.s(UP, 3)}{g.digits(6)}",
                    f"A{g.digits(2)}-{g.digits(4)}-{g.s(UP, 1)}",
                ]
            )
        ),
        "description": lambda: r.choice(PRODUCTS),
        "product": lambda: r.choice(PRODUCTS),
        "qty": lambda: str(r.randint(1, 480)),
        "stock": lambda: str(r.randint(0, 2500)),
        "price": lambda: famount(c, 1, 900) + " " + r.choice(CURRENCY[c.lang]),
        "tax": lambda: r.choice(["19 %", "7 %", "20 %", "21 %", "10 %", "0 %", "23 %", "25 %"]),
        "total": lambda: famount(c, 10, 9000),
        "device": lambda: r.choice(
            ["Laptop", 'Monitor 27"', "Docking station", "Smartphone", "Tablet", "Headset", "Printer"]
        ),
        "model": lambda: r.choice(
            [
                "ThinkPad T14 Gen 4",
                "Latitude 5440",
                "EliteBook 840 G10",
                "MacBook Air M2",
                "Galaxy A54",
                "iPhone 14",
                "Dell P2723DE",
                "Jabra Evolve2 65",
                "HP LaserJet M428",
            ]
        ),
        "serial": lambda: serial(c),
        "phone_model": lambda: r.choice(
            [
                "Galaxy A54",
                "Galaxy S23",
                "iPhone 14",
                "iPhone 15 Pro",
                "Pixel 8",
                "Xiaomi 13T",
                "Moto G84",
                "Fairphone 5",
                "Nokia G42",
            ]
        ),
        "purchase_date": lambda: fdate(c, 2020, 2024),
        "warranty": lambda: fdate(c, 2025, 2028),
        "file": lambda: (
            r.choice(["report_Q", "backup_", "setup-", "invoice_", "dataset_", "firmware_"])
            + g.digits(r.randint(2, 4))
            + r.choice([".pdf", ".tar.gz", ".exe", ".csv", ".zip", ".bin"])
        ),
        "size": lambda: f"{r.randint(1, 999)}.{r.randint(0, 9)} {r.choice(['KB', 'MB', 'GB'])}",
        "checksum": lambda: safe(lambda: r.choice([g.hexs(64), g.hexs(64), g.hexs(32), g.hexs(40)])),
        "password_hash": lambda: pw_hash(r),
        "algorithm": lambda: r.choice(["bcrypt", "sha512crypt", "argon2id", "PBKDF2", "yescrypt"]),
        "last_change": lambda: fdate(c),
        "object_id": lambda: safe(lambda: r.choice([g.hexs(24), uuid4(r)])),
        "collection": lambda: r.choice(["users", "orders", "invoices", "sessions", "products", "audit_log"]),
        "status": lambda: r.choice(STATUS),
        "created": lambda: fdate(c),
        "user": lambda: P().user,
        "name": lambda: P().display,
        "department": lambda: r.choice(DEPTS[c.lang]),
        "role": lambda: r.choice(ROLES),
        "last_login": lambda: fdatetime(c),
        "order": lambda: safe(
            lambda: r.choice(
                [
                    f"ORD-{r.randint(2021, 2025)}-{g.digits(6)}",
                    f"#{r.randint(100000, 999999)}",
                    f"PO-{g.digits(5)}",
                    f"{g.s(UP, 2)}-{g.digits(6)}-{g.s(UP, 2)}",
                    f"SO{g.digits(8)}",
                ]
            )
        ),
        "date": lambda: fdate(c),
        "customer": lambda: P().display,
        "card_masked": lambda: masked_card(r),
        "expiry": lambda: f"{r.randint(1, 12):02d}/{r.randint(25, 30)}",
        "amount": lambda: famount(c),
        "host": lambda: hostname(c),
        "lan_ip": lambda: priv_ip4(r) if r.random() < 0.85 else priv_ip6(r),
        "mac": lambda: mac(c),
        "vlan": lambda: str(r.choice([1, 10, 20, 30, 99, 100, 200, 300])),
        "location": lambda: r.choice(SITES),
        "package": lambda: r.choice(PACKAGES),
        "version": lambda: r.choice(
            [
                f"{r.randint(0, 5)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
                f"v{r.randint(1, 4)}.{r.randint(0, 12)}.{r.randint(0, 9)}-rc.{r.randint(1, 4)}",
                f"10.0.{r.randint(17763, 26100)}.{r.randint(1000, 5000)}",
                f"{r.randint(1, 3)}.{r.randint(0, 29)}.{r.randint(0, 9)}-eks-{g.hexs(6)}",
            ]
        ),
        "latest": lambda: f"{r.randint(0, 6)}.{r.randint(0, 30)}.{r.randint(0, 20)}",
        "release_date": lambda: fdate(c),
        "time": lambda: f"{r.randint(7, 19):02d}:{r.choice(['00', '15', '30', '45'])}",
        "event": lambda: r.choice(EVENTS[c.lang]),
        "room": lambda: (
            c.hdr("room") + f" {r.randint(1, 40)}"
            if c.lang != "en"
            else r.choice(["Room 4.12", "Atrium", "Board room", "Lab 2"])
        ),
        "doc_ip": lambda: doc_ip(r),
        "port": lambda: str(r.choice([22, 80, 443, 8080, 3306, 5432, 6379])),
        "notes": lambda: c.note(),
        "email_reserved": lambda: (
            P().new_email().split("@")[0]
            + "@"
            + r.choice(
                [
                    "example.com",
                    "example.org",
                    "example.net",
                    "corp.test",
                    "mail.invalid",
                    "shop.example",
                    "dev.localhost",
                    "test",
                    "sub.example.com",
                ]
            )
        ),
        "service": lambda: r.choice(["Stripe", "Mapbox", "Checkout", "Paddle", "Braintree", "Adyen"]),
        "env": lambda: r.choice(["prod", "staging", "dev", "test"]),
        "publishable_key": lambda: r.choice(
            [
                "pk_live_" + g.alnum(r.choice([24, 99])),
                "pk_test_" + g.alnum(r.choice([24, 99])),
                "pk."
                + b64url_nopad(json.dumps({"u": P().user, "a": g.s(LOW + DIG, 25)}, separators=(",", ":")).encode())
                + "."
                + g.s(B64U, 22),
            ]
        ),
        "app": lambda: r.choice(["Web shop", "Mobile app", "Partner portal", "Intranet", "Kiosk", "Support desk"]),
        "client_id": lambda: safe(
            lambda: r.choice(
                [
                    f"{r.randint(10**11, 10**12 - 1)}-{g.s(LOW + DIG, 32)}.apps.googleusercontent.com",
                    uuid4(r),
                    "Iv1." + g.hexs(16),
                    "Ov23li" + g.alnum(14),
                    g.alnum(r.choice([20, 25])),
                ]
            )
        ),
        "redirect_uri": lambda: (
            "https://"
            + r.choice(["app.", "portal.", "login.", ""])
            + r.choice(CORP_MAIL[c.lang])
            + r.choice(["/oauth/callback", "/auth/google/callback", "/signin-oidc", "/cb"])
        ),
        "password_placeholder": lambda: r.choice(PLACEHOLDERS + PLACEHOLDERS_LOC[c.lang]),
        "timestamp": lambda: (
            fdate(c, fmt="iso")
            + f"T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:{r.randint(0, 59):02d}.{r.randint(0, 999):03d}Z"
        ),
        "request_id": lambda: r.choice(
            [uuid4(r), "req_" + g.alnum(14), g.hexs(32), "01H" + g.s("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 23)]
        ),
        "trace_id": lambda: g.hexs(32),
        "status_code": lambda: str(r.choice([200, 200, 201, 204, 301, 400, 401, 403, 404, 429, 500, 502])),
        "latency": lambda: str(r.randint(3, 2400)),
        "page": lambda: r.choice(
            ["/login", "/checkout", "/account/settings", "/contact", "/password/reset", "/admin/users/new"]
        ),
        "csrf": lambda: r.choice([g.s(B64U, 43), g.hexs(64), g.alnum(40)]),
        "nonce": lambda: r.choice([g.hexs(16), g.hexs(32), g.s(B64U, 22)]),
        "release": lambda: f"v{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 15)}",
        "commit": lambda: safe(lambda: r.choice([g.hexs(40), g.hexs(7), g.hexs(12)])),
        "network": lambda: r.choice(["Bitcoin", "Ethereum", "Litecoin", "Tron"]),
        "carrier": lambda: r.choice(
            ["DHL", "UPS", "DPD", "GLS", "PostNL", "InPost", "Correos", "SF Express", "Yamato"]
        ),
        "tracking": lambda: safe(
            lambda: r.choice(
                [
                    "1Z" + g.s(UP + DIG, 16),
                    "JJD" + g.digits(18),
                    g.digits(10),
                    "CX" + g.digits(9) + "DE",
                    f"{g.digits(4)} {g.digits(4)} {g.digits(4)}",
                    "SF" + g.digits(13),
                ]
            )
        ),
        "isbn": lambda: isbn13(r),
        "title": lambda: r.choice(
            [
                "The Quiet Harbour",
                "Kleine Geschichte der Ziegel",
                "Le Jardin d'hiver",
                "Notas de cocina",
                "Il ponte sul fiume",
                "Data pipelines in practice",
                "Северный ветер",
                "山の音",
            ]
        ),
        "phone": lambda: safe(
            lambda: (
                r.choice(
                    [
                        "+44 20 ",
                        "+49 30 ",
                        "+33 1 ",
                        "+34 91 ",
                        "+39 02 ",
                        "+31 20 ",
                        "+48 22 ",
                        "+7 495 ",
                        "+86 10 ",
                        "+81 3-",
                        "+46 8 ",
                        "+90 212 ",
                    ]
                )
                + f"{r.randint(100, 9999)} {r.randint(1000, 9999)}"
            )
        ),
        "extension": lambda: str(r.randint(100, 899)),
        "policy": lambda: r.choice(["default", "ci-readonly", "db-admin", "pki-issuer", "kv-app-read", "ops"]),
        "accessor": lambda: r.choice([g.alnum(24), uuid4(r)]),
        "ttl": lambda: r.choice(["768h", "1h", "24h", "30m", "0", "3600"]),
        "cache_key": lambda: (
            r.choice(["user:", "sess:meta:", "product:v2:", "cart:", "rate:ip:"])
            + str(r.randint(1000, 99999))
            + r.choice([":profile", ":summary", "", ":en"])
        ),
        "hits": lambda: str(r.randint(0, 99999)),
        "pubkey": lambda: (
            r.choice(
                [
                    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + g.s(B64C, 43),
                    "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ" + g.s(B64C, 120) + "...",
                    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAI" + g.s(B64C, 60),
                ]
            )
            + " "
            + P().user
            + "@"
            + r.choice(["laptop", "ws-042", "buildbox", "mbp"])
        ),
        "author_user": lambda: P().user,
        "message": lambda: r.choice(COMMIT_MSGS),
        "variable": lambda: r.choice(
            [
                "DB_PASSWORD",
                "API_TOKEN",
                "SMTP_PASS",
                "JWT_SECRET",
                "STRIPE_SECRET_KEY",
                "REDIS_URL",
                "AWS_SECRET_ACCESS_KEY",
            ]
        ),
        "value_ref": lambda: r.choice(
            [
                "${{ secrets.DB_PASSWORD }}",
                "$(vault kv get -field=pw app/db)",
                "vault:secret/data/app#password",
                "ref+awsssm://prod/db/pass",
                "${SMTP_PASS}",
                "<from Key Vault>",
                "valueFrom: secretKeyRef",
                "%(ENV_TOKEN)s",
                "{{ .Values.redis.password }}",
                "sm://projects/app/secrets/jwt",
            ]
        ),
        "sensor": lambda: (
            r.choice(["T-Kühlraum", "TH-01", "CO2-Office", "P-Boiler", "H-Server"]) + f"-{r.randint(1, 9)}"
        ),
        "reading": lambda: f"{r.uniform(-20, 90):.1f}",
        "unit": lambda: r.choice(["°C", "%RH", "ppm", "bar", "kWh"]),
        "site": lambda: r.choice(CORP_MAIL[c.lang]),
        "site_key": lambda: "6L" + r.choice(["c", "d", "e", "f"]) + g.s(B64U, 37),
        "payment_id": lambda: r.choice(["pi_", "ch_", "py_", "in_"]) + g.alnum(24),
        "idempotency_key": lambda: r.choice([uuid4(r), "idem-" + g.hexs(16)]),
        "domain": lambda: r.choice(["www.", "shop.", "api.", "mail.", ""]) + r.choice(CORP_MAIL[c.lang]),
        "issuer": lambda: r.choice(
            ["Let's Encrypt R11", "Sectigo RSA DV", "DigiCert Global G2", "GlobalSign GCC R3", "Internal CA 2024"]
        ),
        "fingerprint": lambda: ":".join(g.s("0123456789ABCDEF", 2) for _ in range(32)),
        "expires": lambda: fdate(c, 2025, 2027),
        "masked_key": lambda: r.choice(
            [
                "sk_live_••••" + g.alnum(4),
                "ghp_" + "*" * 32 + g.alnum(4),
                "AKIA" + "*" * 12 + g.s(UP + DIG, 4),
                "xoxb-••••-••••-" + g.alnum(4),
                "SG.****." + g.alnum(4),
                "****-****-" + g.hexs(4),
            ]
        ),
        "last_used": lambda: fdatetime(c),
        "ean": lambda: ean13(r),
        "imei": lambda: imei(r),
        "student_id": lambda: safe(lambda: g.digits(8)),
        "subject": lambda: r.choice(["Math", "Physics", "History", "Biology", "Chemistry", "Informatics"]),
        "grade": lambda: r.choice(["A", "B+", "2,3", "1.7", "15/20", "28/30", "5", "B"]),
        "record_type": lambda: r.choice(["A", "A", "AAAA", "CNAME", "MX", "TXT"]),
        "ttl_dns": lambda: str(r.choice([300, 3600, 86400])),
        "city": lambda: r.choice(
            ["Lisbon", "Kraków", "Lyon", "Valencia", "Uppsala", "Sapporo", "Chengdu", "Izmir", "Leeds", "Graz"]
        ),
        "latitude": lambda: f"{r.uniform(-60, 70):.5f}",
        "longitude": lambda: f"{r.uniform(-120, 150):.5f}",
        "population": lambda: f"{r.randint(20000, 3000000):,}",
        "site_url": lambda: "https://" + r.choice(CORP_MAIL[c.lang]),
    }


def dns_row(c):
    r = c.rng
    t = r.choice(["A", "A", "AAAA", "CNAME", "MX", "TXT"])
    name = r.choice(["www", "mail", "vpn", "intranet", "git", "@", "api", "staging"])
    if t == "A":
        tgt = (
            priv_ip4(r)
            if r.random() < 0.5
            else f"{r.choice(['192.0.2', '198.51.100', '203.0.113'])}.{r.randint(1, 254)}"
        )
    elif t == "AAAA":
        tgt = r.choice([priv_ip6(r), f"2001:db8::{r.randint(1, 999)}"])
    elif t == "CNAME":
        tgt = r.choice(["lb-", "edge-", "cdn-"]) + str(r.randint(1, 9)) + ".corp.lan."
    elif t == "MX":
        tgt = f"10 mx{r.randint(1, 3)}.corp.lan."
    else:
        tgt = '"v=spf1 ip4:192.0.2.0/24 -all"' if r.random() < 0.5 else '"site-verification=' + Gen(r).alnum(20) + '"'
    return {"record_name": name, "record_type": t, "target": tgt, "ttl": str(r.choice([300, 3600, 86400]))}


# Negative schemas: (category, topic, table_name, order, required, optional)
NEG_SCHEMAS = [
    (
        "sku_table",
        "catalog",
        "products",
        ["sku", "description", "qty", "price", "stock"],
        ["sku", "description"],
        ["qty", "price", "stock"],
    ),
    (
        "serial_numbers",
        "assets",
        "assets",
        ["name", "device", "model", "serial", "purchase_date", "warranty"],
        ["device", "serial"],
        ["name", "model", "purchase_date", "warranty"],
    ),
    ("file_hashes", "dev", "files", ["file", "size", "checksum"], ["file", "checksum"], ["size"]),
    (
        "password_hashes",
        "audit",
        "users",
        ["user", "password_hash", "algorithm", "last_change"],
        ["user", "password_hash"],
        ["algorithm", "last_change"],
    ),
    (
        "object_ids",
        "dev",
        "documents",
        ["object_id", "collection", "created", "status"],
        ["object_id", "collection"],
        ["created", "status"],
    ),
    (
        "usernames",
        "directory",
        "users",
        ["user", "name", "department", "role", "last_login"],
        ["user"],
        ["name", "department", "role", "last_login"],
    ),
    (
        "order_numbers",
        "orders",
        "orders",
        ["order", "date", "customer", "total", "status"],
        ["order", "date"],
        ["customer", "total", "status"],
    ),
    (
        "masked_cards",
        "payments",
        "payments",
        ["date", "customer", "card_masked", "expiry", "amount", "status"],
        ["customer", "card_masked"],
        ["date", "expiry", "amount", "status"],
    ),
    (
        "private_ips",
        "network",
        "hosts",
        ["host", "lan_ip", "mac", "vlan", "location"],
        ["host", "lan_ip"],
        ["mac", "vlan", "location"],
    ),
    (
        "version_numbers",
        "dev",
        "packages",
        ["package", "version", "latest", "release_date"],
        ["package", "version"],
        ["latest", "release_date"],
    ),
    ("dates_schedule", "report", "events", ["date", "time", "event", "room"], ["date", "event"], ["time", "room"]),
    ("price_list", "catalog", "prices", ["product", "price", "tax", "total"], ["product", "price"], ["tax", "total"]),
    ("documentation_ips", "dev", "hosts", ["host", "doc_ip", "port", "notes"], ["host", "doc_ip"], ["port", "notes"]),
    (
        "reserved_domain_emails",
        "directory",
        "contacts",
        ["name", "email_reserved", "role"],
        ["name", "email_reserved"],
        ["role"],
    ),
    ("publishable_keys", "dev", "keys", ["service", "env", "publishable_key"], ["service", "publishable_key"], ["env"]),
    (
        "oauth_client_ids",
        "dev",
        "clients",
        ["app", "client_id", "redirect_uri"],
        ["app", "client_id"],
        ["redirect_uri"],
    ),
    (
        "placeholder_credentials",
        "servers",
        "credentials",
        ["host", "user", "password_placeholder", "notes"],
        ["user", "password_placeholder"],
        ["host", "notes"],
    ),
    (
        "request_ids",
        "logs",
        "requests",
        ["timestamp", "request_id", "trace_id", "status_code", "latency"],
        ["timestamp", "request_id"],
        ["trace_id", "status_code", "latency"],
    ),
    (
        "csrf_tokens_nonces",
        "logs",
        "forms",
        ["page", "csrf", "nonce", "timestamp"],
        ["page", "csrf"],
        ["nonce", "timestamp"],
    ),
    (
        "release_checksums",
        "dev",
        "releases",
        ["release", "release_date", "commit", "checksum"],
        ["release", "checksum"],
        ["release_date", "commit"],
    ),
    ("crypto_wallets", "report", "wallets", ["name", "network", "wallet"], ["network", "wallet"], ["name"]),
    (
        "tracking_numbers",
        "orders",
        "shipments",
        ["order", "carrier", "tracking", "date"],
        ["carrier", "tracking"],
        ["order", "date"],
    ),
    ("isbn_catalog", "catalog", "books", ["title", "isbn", "price", "qty"], ["title", "isbn"], ["price", "qty"]),
    (
        "phone_directory",
        "directory",
        "phonebook",
        ["name", "department", "extension", "phone"],
        ["name", "phone"],
        ["department", "extension"],
    ),
    (
        "vault_accessors",
        "audit",
        "tokens",
        ["policy", "accessor", "ttl", "created"],
        ["policy", "accessor"],
        ["ttl", "created"],
    ),
    ("cache_keys", "logs", "cache", ["cache_key", "hits", "size", "ttl"], ["cache_key", "hits"], ["size", "ttl"]),
    ("ssh_public_keys", "servers", "authorized_keys", ["user", "pubkey", "created"], ["user", "pubkey"], ["created"]),
    (
        "mac_addresses",
        "network",
        "switch_ports",
        ["device", "mac", "port", "vlan"],
        ["mac", "port"],
        ["device", "vlan"],
    ),
    (
        "git_commits",
        "dev",
        "commits",
        ["commit", "author_user", "date", "message"],
        ["commit", "message"],
        ["author_user", "date"],
    ),
    (
        "env_var_references",
        "dev",
        "variables",
        ["variable", "value_ref", "notes"],
        ["variable", "value_ref"],
        ["notes"],
    ),
    (
        "sensor_readings",
        "report",
        "readings",
        ["sensor", "date", "time", "reading", "unit"],
        ["sensor", "reading"],
        ["date", "time", "unit"],
    ),
    ("recaptcha_site_keys", "dev", "sites", ["site", "site_key", "created"], ["site", "site_key"], ["created"]),
    (
        "idempotency_keys",
        "logs",
        "payments",
        ["payment_id", "idempotency_key", "amount", "date"],
        ["payment_id", "idempotency_key"],
        ["amount", "date"],
    ),
    (
        "cert_fingerprints",
        "audit",
        "certificates",
        ["domain", "issuer", "fingerprint", "expires"],
        ["domain", "fingerprint"],
        ["issuer", "expires"],
    ),
    (
        "geo_coordinates",
        "report",
        "places",
        ["city", "latitude", "longitude", "population"],
        ["city", "latitude", "longitude"],
        ["population"],
    ),
    (
        "documentation_example_keys",
        "dev",
        "examples",
        ["service", "variable", "example_value"],
        ["variable", "example_value"],
        ["service"],
    ),
    (
        "masked_secrets",
        "audit",
        "keys",
        ["service", "masked_key", "last_used"],
        ["service", "masked_key"],
        ["last_used"],
    ),
    ("ean_barcodes", "catalog", "articles", ["product", "ean", "price"], ["product", "ean"], ["price"]),
    (
        "imei_numbers",
        "assets",
        "phones",
        ["name", "phone_model", "imei", "purchase_date"],
        ["phone_model", "imei"],
        ["name", "purchase_date"],
    ),
    (
        "student_records",
        "report",
        "students",
        ["student_id", "name", "subject", "grade"],
        ["student_id", "grade"],
        ["name", "subject"],
    ),
    (
        "dns_records",
        "network",
        "records",
        ["record_name", "record_type", "target", "ttl"],
        ["record_name", "record_type", "target", "ttl"],
        [],
    ),
]

# ---------------------------------------------------------------------------
# Generic table records
# ---------------------------------------------------------------------------
LANG_WEIGHTS = [
    ("en", 22),
    ("de", 11),
    ("fr", 9),
    ("es", 8),
    ("it", 6),
    ("pt", 6),
    ("nl", 5),
    ("pl", 5),
    ("ru", 7),
    ("zh", 6),
    ("ja", 5),
    ("sv", 4),
    ("tr", 4),
]


def pick_lang(rng):
    tot = sum(w for _, w in LANG_WEIGHTS)
    x = rng.uniform(0, tot)
    for l, w in LANG_WEIGHTS:
        x -= w
        if x <= 0:
            return l
    return "en"


def _finish_table(c, renderer, fids, rows, topic, tname, positive):
    r = c.rng
    use_mk = renderer in ("xml", "sql") or (renderer in ("json", "yaml") and r.random() < 0.5)
    hdrs = [c.hdr(f) for f in fids]
    keys = [MK.get(f, f) for f in fids] if use_mk else hdrs
    if renderer == "ascii":
        keys = [MK.get(f, f) for f in fids]
    has_loc = c.lang != "en" and any(h in lang_markers(c.lang) for h in hdrs)
    if c.lang == "en":
        cap = c.cap(topic) if r.random() < 0.5 else None
    elif use_mk or not has_loc:
        cap = c.cap(topic)
    else:
        cap = c.cap(topic) if r.random() < 0.6 else None
    note = None
    if r.random() < 0.3:
        note = c.cap(
            r.choice(
                ["conf", "change"]
                if positive and topic in ("accounts", "onboarding", "mail", "vpn")
                else ["conf", "generated"]
            )
        )
    tb = {
        "hdrs": hdrs,
        "keys": keys,
        "rows": rows,
        "cap": cap,
        "note": note,
        "name": tname,
        "force": c.lang != "en" and (use_mk or not has_loc),
    }
    doc = Doc()
    RENDER_FN[renderer](doc, c, tb)
    return doc


def gen_cell(c, f, st):
    """Generate a cell whose labelled parts need no escaping in the current renderer."""
    backup = dict(st)
    for _ in range(40):
        cell = FG[f](c, st)
        if all(isinstance(p, str) or not any(ch in c.forbid for ch in p[0]) for p in cell):
            return cell
        st.clear()
        st.update(backup)
    raise BadValue(f)


def gen_pos_table(rng, spec, renderer):
    name, topic, tname, order, req, opt, init = spec
    for _ in range(60):
        lang = pick_lang(rng)
        c = Ctx(rng, lang, renderer)
        chosen = set(req) | {f for f in opt if rng.random() < 0.5}
        fids = [f for f in order if f in chosen]
        nrows = rng.randint(2, 6) if rng.random() < 0.8 else rng.randint(8, 14)
        try:
            rows = []
            for _ in range(nrows):
                st = {}
                if init:
                    init(c, st)
                rows.append([gen_cell(c, f, st) for f in fids])
            doc = _finish_table(c, renderer, fids, rows, topic, tname, True)
        except BadValue:
            continue
        return doc, lang, RENDER_CONTEXT[renderer]
    raise RuntimeError("could not build " + name)


ROW_SPECIAL = {
    "dns_records": lambda c: dns_row(c),
    "documentation_example_keys": lambda c: dict(
        zip(["service", "variable", "example_value"], c.rng.choice(EXAMPLE_VALUES))
    ),
    "crypto_wallets": lambda c: (lambda n: {"network": n, "wallet": wallet(c.rng, n)})(
        c.rng.choice(["Bitcoin", "Ethereum", "Litecoin", "Tron"])
    ),
}


def gen_neg_table(rng, spec, renderer):
    cat, topic, tname, order, req, opt = spec
    for _ in range(60):
        lang = pick_lang(rng)
        c = Ctx(rng, lang, renderer)
        chosen = set(req) | {f for f in opt if rng.random() < 0.5}
        fids = [f for f in order if f in chosen]
        nrows = rng.randint(3, 7) if rng.random() < 0.8 else rng.randint(8, 14)
        gens = nfg(rng, c)
        rows = []
        for _ in range(nrows):
            spec_row = ROW_SPECIAL[cat](c) if cat in ROW_SPECIAL else {}
            row = []
            for f in fids:
                v = spec_row[f] if f in spec_row else gens[f]()
                row.append([v])
            rows.append(row)
        try:
            doc = _finish_table(c, renderer, fids, rows, topic, tname, False)
        except BadValue:
            continue
        return doc, lang, RENDER_CONTEXT[renderer]
    raise RuntimeError("could not build " + cat)


# ---------------------------------------------------------------------------
# Special positive templates
# ---------------------------------------------------------------------------
COMBO_HEAD = {
    "en": "valid hits, format {a}{s}{b}",
    "ru": "Свежая база, формат {a}{s}{b}",
    "pt": "Lista atualizada - {a}{s}{b}",
    "es": "Combos verificados ({a}{s}{b})",
    "tr": "Güncel liste: {a}{s}{b}",
    "de": "Zugangsdaten-Liste ({a}{s}{b})",
    "pl": "Sprawdzone konta, format {a}{s}{b}",
    "fr": "Liste vérifiée, format {a}{s}{b}",
}
COMBO_WORDS = {
    "en": ("email", "pass", "user"),
    "ru": ("почта", "пароль", "логин"),
    "pt": ("email", "senha", "usuário"),
    "es": ("correo", "contraseña", "usuario"),
    "tr": ("e-posta", "şifre", "kullanıcı"),
    "de": ("E-Mail", "Passwort", "Benutzer"),
    "pl": ("e-mail", "hasło", "login"),
    "fr": ("e-mail", "mot de passe", "identifiant"),
}


def sp_combo(rng, sep, email=True, header=False, site=False):
    doc = Doc()
    lang = "en"
    if header:
        lang = rng.choice(list(COMBO_HEAD))
        w = COMBO_WORDS[lang]
        sname = "TAB" if sep == "\t" else sep
        doc.t(COMBO_HEAD[lang].format(a=w[0] if email else w[2], s=sname, b=w[1]) + "\n")
        if rng.random() < 0.5:
            doc.t("=" * rng.randint(10, 30) + "\n")
    n = rng.randint(5, 16)
    forbid = sep + " \t\n:"
    for i in range(n):
        plang = rng.choice(LANGS)
        p = Person(rng, plang)
        if site:
            doc.t(
                rng.choice(["https://", ""])
                + rng.choice(["accounts.", "login.", "www.", "auth."])
                + rng.choice(
                    [
                        "streamflix.tv",
                        "shopmart.com",
                        "gamerhub.net",
                        "mailbox.org",
                        "netbank-online.com",
                        "socialbee.io",
                    ]
                )
                + rng.choice(["/login", "/signin", ""])
                + sep
            )
        if email:
            doc.v(p.email, "EMAIL_ADDRESS", "email")
        else:
            doc.t(p.user if rng.random() < 0.7 else p.user + str(rng.randint(1, 999)))
        doc.t(sep)
        doc.v(gen_password(rng, forbid), "SECRET", "password")
        doc.t("\n")
    return doc, lang, "combo_list"


def _pm_login(rng, p):
    return ("e", p.email) if rng.random() < 0.6 else ("u", p.user)


def _put_login(doc, lg):
    if lg[0] == "e":
        doc.v(lg[1], "EMAIL_ADDRESS", "email")
    else:
        doc.t(lg[1])


def sp_pm_csv(rng, flavor):
    doc = Doc()
    lang = pick_lang(rng)
    forbid = ',"\n'
    heads = {
        "chrome": "name,url,username,password,note",
        "lastpass": "url,username,password,totp,extra,name,grouping,fav",
        "bitwarden": "folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp",
        "onepassword": "Title,Url,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes",
        "firefox": '"url","username","password","httpRealm","formActionOrigin","guid","timeCreated","timeLastUsed","timePasswordChanged"',
    }
    doc.t(heads[flavor] + "\n")
    n = rng.randint(3, 12)
    for _ in range(n):
        p = Person(rng, lang)
        title, url = rng.choice(PW_SITES)
        lg = _pm_login(rng, p)
        pw = gen_password(rng, forbid)
        note = rng.choice(["", "", NOTE[lang][rng.randrange(6)]])
        if "," in note:
            note = ""
        if flavor == "chrome":
            doc.t(f"{title},{url},")
            _put_login(doc, lg)
            doc.t(",")
            doc.v(pw, "SECRET", "password")
            doc.t(f",{note}\n")
        elif flavor == "lastpass":
            doc.t(f"{url},")
            _put_login(doc, lg)
            doc.t(",")
            doc.v(pw, "SECRET", "password")
            doc.t(
                f",,{note},{title},{rng.choice(['Work', 'Personal', 'Finance', 'Shopping', ''])},{rng.choice([0, 0, 1])}\n"
            )
        elif flavor == "bitwarden":
            doc.t(
                f"{rng.choice(['', 'Work', 'Privat', 'Bank'])},{rng.choice(['', '1'])},login,{title},{note},,0,{url},"
            )
            _put_login(doc, lg)
            doc.t(",")
            doc.v(pw, "SECRET", "password")
            doc.t(",\n")
        elif flavor == "onepassword":
            doc.t(f"{title},{url},")
            _put_login(doc, lg)
            doc.t(",")
            doc.v(pw, "SECRET", "password")
            doc.t(f",,{rng.choice(['false', 'true'])},false,{rng.choice(['', 'work', 'family'])},{note}\n")
        else:
            t0 = rng.randint(1600000000000, 1720000000000)
            doc.t(f'"{url}","')
            _put_login(doc, lg)
            doc.t('","')
            doc.v(pw, "SECRET", "password")
            doc.t(f'","","{url.rstrip("/")}","{{{uuid4(rng)}}}","{t0}","{t0 + rng.randint(10**6, 10**9)}","{t0}"\n')
    txt = doc.text()
    return doc, lang if any(nt in txt for nt in NOTE[lang]) else "en", "password_manager_export"


def sp_keepass_xml(rng):
    doc = Doc()
    lang = pick_lang(rng)
    doc.t(
        '<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<KeePassFile>\n\t<Root>\n\t\t<Group>\n\t\t\t<Name>'
        + rng.choice(["Database", "Passwords", "Firma", "Équipe"])
        + "</Name>\n"
    )
    for _ in range(rng.randint(2, 6)):
        p = Person(rng, lang)
        title, url = rng.choice(PW_SITES)
        lg = _pm_login(rng, p)
        doc.t(f"\t\t\t<Entry>\n\t\t\t\t<UUID>{b64(rbytes(rng, 16))}</UUID>\n")
        doc.t(f"\t\t\t\t<String><Key>Title</Key><Value>{esc_html(title)}</Value></String>\n")
        doc.t("\t\t\t\t<String><Key>UserName</Key><Value>")
        _put_login(doc, lg)
        doc.t('</Value></String>\n\t\t\t\t<String><Key>Password</Key><Value ProtectInMemory="True">')
        doc.v(gen_password(rng, "<>&\"'"), "SECRET", "password")
        doc.t(f"</Value></String>\n\t\t\t\t<String><Key>URL</Key><Value>{esc_html(url)}</Value></String>\n")
        if rng.random() < 0.4:
            doc.t(f"\t\t\t\t<String><Key>Notes</Key><Value>{esc_html(NOTE[lang][rng.randrange(6)])}</Value></String>\n")
        doc.t("\t\t\t</Entry>\n")
    doc.t("\t\t</Group>\n\t</Root>\n</KeePassFile>\n")
    txt = doc.text()
    return doc, lang if any(n in txt for n in NOTE[lang]) else "en", "password_manager_export"


def sp_bitwarden_json(rng):
    doc = Doc()
    doc.t('{\n  "encrypted": false,\n  "folders": [],\n  "items": [\n')
    n = rng.randint(2, 5)
    for i in range(n):
        p = Person(rng, pick_lang(rng))
        title, url = rng.choice(PW_SITES)
        lg = _pm_login(rng, p)
        doc.t(
            f'    {{\n      "id": "{uuid4(rng)}",\n      "type": 1,\n      "name": "{title}",\n      "favorite": {rng.choice(["false", "true"])},\n'
        )
        doc.t('      "login": {\n        "username": "')
        _put_login(doc, lg)
        doc.t('",\n        "password": "')
        doc.v(gen_password(rng, '"\\'), "SECRET", "password")
        doc.t(
            f'",\n        "totp": null,\n        "uris": [{{"match": null, "uri": "{url}"}}]\n      }}\n    }}'
            + (",\n" if i < n - 1 else "\n")
        )
    doc.t("  ]\n}\n")
    return doc, "en", "password_manager_export"


def sp_netrc(rng):
    doc = Doc()
    if rng.random() < 0.5:
        doc.t("# ~/.netrc\n")
    for _ in range(rng.randint(2, 6)):
        host = rng.choice(["api.heroku.com", "git.heroku.com", "ftp.", "uploads.", "repo.", "nexus."])
        if host.endswith("."):
            host += rng.choice(GENERIC_CORP + CORP_MAIL["en"])
        user = Person(rng, "en").user
        pw = gen_password(rng, " \t\n#")
        if rng.random() < 0.5:
            doc.t(f"machine {host} login {user} password ")
            doc.v(pw, "SECRET", "password")
            doc.t("\n")
        else:
            doc.t(f"machine {host}\n  login {user}\n  password ")
            doc.v(pw, "SECRET", "password")
            doc.t("\n")
    return doc, "en", "netrc_listing"


def sp_pgpass(rng):
    doc = Doc()
    if rng.random() < 0.5:
        doc.t("# hostname:port:database:username:password\n")
    for _ in range(rng.randint(2, 7)):
        k = rng.random()
        if k < 0.4:
            doc.v(pub_ip4(rng), "IP_ADDRESS", "ip")
        elif k < 0.6:
            doc.t(priv_ip4(rng))
        else:
            doc.t(hostname(Ctx(rng, "en", "blocks")))
        doc.t(
            f":{rng.choice([5432, 5433, 6432, '*'])}:{rng.choice(['*', 'orders', 'crm', 'analytics'])}:{rng.choice(['app', 'replicator', 'postgres', 'readonly', 'etl'])}:"
        )
        doc.v(gen_password(rng, ":\\ "), "SECRET", "password")
        doc.t("\n")
    return doc, "en", "pgpass_listing"


def sp_service_accounts_json(rng):
    doc = Doc()
    proj = rng.choice(["billing-prod", "data-lake-eu", "ml-sandbox", "ops-tools"]) + f"-{rng.randint(100000, 999999)}"
    doc.t("[\n")
    n = rng.randint(1, 3)
    accts = rng.sample(["ci-deployer", "bq-reader", "backup-sa", "terraform", "exporter"], n)
    for i in range(n):
        acct = accts[i]
        doc.t(
            f'  {{\n    "type": "service_account",\n    "project_id": "{proj}",\n    "private_key_id": "{Gen(rng).hexs(40)}",\n    "private_key": "'
        )
        doc.v(esc_json(gen_private_key(rng, "PKCS8")), "SECRET", "private_key")
        doc.t('\\n",\n    "client_email": "')
        doc.v(f"{acct}@{proj}.iam.gserviceaccount.com", "EMAIL_ADDRESS", "email")
        doc.t(
            f'",\n    "client_id": "{rng.randint(10**20, 10**21 - 1)}",\n    "token_uri": "https://oauth2.googleapis.com/token"\n  }}'
            + (",\n" if i < n - 1 else "\n")
        )
    doc.t("]\n")
    return doc, "en", "service_account_json"


def sp_deploy_keys_yaml(rng):
    doc = Doc()
    lang = rng.choice(["en", "de", "fr", "es", "ru"])
    if lang != "en":
        doc.t("# " + CAP[lang]["servers"][0] + "\n")
    doc.t("deploy_keys:\n")
    for _ in range(rng.randint(1, 3)):
        doc.t(f"  - repo: {rng.choice(['shop-frontend', 'billing-api', 'infra', 'etl-jobs', 'docs'])}\n")
        doc.t(f"    user: {rng.choice(['git', 'deploy', 'ci'])}\n")
        if rng.random() < 0.5:
            doc.t(f"    host: ")
            doc.v(pub_ip4(rng), "IP_ADDRESS", "ip")
            doc.t("\n")
        doc.t("    private_key: |\n      ")
        doc.v(gen_private_key(rng).replace("\n", "\n      "), "SECRET", "private_key")
        doc.t("\n")
        if rng.random() < 0.5:
            doc.t("    passphrase: ")
            doc.v(gen_password(rng, "\"'\\#: "), "SECRET", "password")
            doc.t("\n")
    return doc, lang, "yaml_list"


def sp_keys_html(rng):
    doc = Doc()
    lang = pick_lang(rng)
    c = Ctx(rng, lang, "html")
    doc.t(
        "<h2>"
        + esc_html(c.cap("servers"))
        + "</h2>\n<table>\n  <tr><th>"
        + esc_html(c.hdr("host"))
        + "</th><th>"
        + esc_html(c.hdr("public_ip"))
        + "</th><th>SSH key</th></tr>\n"
    )
    for _ in range(rng.randint(1, 3)):
        doc.t(f"  <tr><td>{hostname(c)}</td><td>")
        doc.v(pub_ip4(rng), "IP_ADDRESS", "ip")
        doc.t("</td><td><pre>")
        doc.v(gen_private_key(rng), "SECRET", "private_key")
        doc.t("</pre></td></tr>\n")
    doc.t("</table>\n")
    return doc, lang, "html_table"


def sp_keys_csv(rng):
    doc = Doc()
    doc.t(rng.choice(["host,user,key,added", "server;login;private_key;date"]) + "\n")
    sep = "," if doc.buf[0].startswith("host,") else ";"
    c = Ctx(rng, "en", "csv")
    for _ in range(rng.randint(1, 3)):
        doc.t(hostname(c) + sep + rng.choice(["root", "deploy", "ubuntu", "backup"]) + sep + '"')
        doc.v(gen_private_key(rng), "SECRET", "private_key")
        doc.t('"' + sep + fdate(c) + "\n")
    return doc, "en", "csv_export"


def sp_docker_auths(rng):
    doc = Doc()
    doc.t('{\n  "auths": {\n')
    regs = rng.sample(
        [
            "registry.gitlab.com",
            "ghcr.io",
            "index.docker.io/v1/",
            "quay.io",
            "harbor.",
            "nexus.",
            "europe-docker.pkg.dev",
        ],
        rng.randint(2, 4),
    )
    for i, reg in enumerate(regs):
        if reg.endswith("."):
            reg += rng.choice(CORP_MAIL["de"] + GENERIC_CORP)
        user = Person(rng, "en").user
        tok = rng.choice([gen_password(rng, ":"), "glpat-" + Gen(rng).s(ALNUM + "_-", 20), "ghp_" + Gen(rng).alnum(36)])
        doc.t(f'    "{reg}": {{\n      "auth": "')
        doc.v(b64(f"{user}:{tok}".encode()), "SECRET", "basic_auth")
        doc.t('"\n    }' + (",\n" if i < len(regs) - 1 else "\n"))
    doc.t("  }\n}\n")
    return doc, "en", "docker_config_json"


def sp_curl_table(rng):
    doc = Doc()
    lang = pick_lang(rng)
    c = Ctx(rng, lang, "markdown")
    doc.t("### " + c.cap("keys") + "\n\n| " + c.hdr("service") + " | curl |\n|---|---|\n")
    for _ in range(rng.randint(2, 5)):
        svc = rng.choice(["Billing API", "Export", "Search", "Partner feed", "Metrics"])
        host = (
            "https://"
            + rng.choice(["api.", "export.", "search."])
            + rng.choice(CORP_MAIL[lang] + GENERIC_CORP)
            + "/v1/"
            + rng.choice(["status", "items", "orders"])
        )
        doc.t(f"| {svc} | `")
        k = rng.random()
        if k < 0.4:
            doc.t(f"curl -u {rng.choice(['api', 'export', 'svc-search', 'partner'])}:")
            doc.v(gen_password(rng, "|`'\" :@"), "SECRET", "password")
            doc.t(f" {host}")
        elif k < 0.8:
            doc.t('curl -H "Authorization: Bearer ')
            doc.v(gen_jwt(rng) if rng.random() < 0.5 else gen_vendor(rng, "|`'\" ")[1], "SECRET", "token")
            doc.t(f'" {host}')
        else:
            doc.t('curl -H "X-API-Key: ')
            doc.v(gen_generic_secret(rng, "|`'\" "), "SECRET", "generic")
            doc.t(f'" {host}')
        doc.t("` |\n")
    return doc, lang, "markdown_table"


def sp_wifi_qr(rng):
    doc = Doc()
    lang = pick_lang(rng)
    c = Ctx(rng, lang, "tsv")
    doc.t(c.cap("wifi") + "\n" + c.hdr("location") + "\tSSID\tQR payload\n")
    for _ in range(rng.randint(2, 6)):
        ssid = FG["ssid"](c, {})[0]
        doc.t(f"{rng.choice(SITES)}\t{ssid}\tWIFI:T:{rng.choice(['WPA', 'SAE'])};S:{ssid};P:")
        doc.v(gen_password(rng, ';:,\\"\t ', rng.choice(["rand", "phrase", "words"])), "SECRET", "password")
        doc.t(";;\n")
    return doc, lang, "tsv_export"


ENV_PUBLIC = [
    ("APP_ENV", "production"),
    ("APP_DEBUG", "false"),
    ("PORT", "8080"),
    ("LOG_LEVEL", "info"),
    ("DB_HOST", "db.internal"),
    ("DB_PORT", "5432"),
    ("CACHE_DRIVER", "redis"),
    ("MAIL_PORT", "587"),
    ("APP_URL", "https://shop.internal"),
    ("QUEUE_CONNECTION", "sqs"),
    ("TZ", "Europe/Berlin"),
]


def _env_secret(rng, forbid):
    k = rng.randrange(7)
    if k == 0:
        while True:
            key = b64(rbytes(rng, 32))
            if key[0].isalnum():
                return "APP_KEY", "base64:", key, "laravel"
    if k == 1:
        return "DB_PASSWORD", "", gen_password(rng, forbid + "#'\"$ "), "password"
    if k == 2:
        return (
            "SECRET_KEY",
            "",
            Gen(rng).s(LOW + DIG + "!@%^*(-_=+)", 50).lstrip("!@%^*(-_=+)") + Gen(rng).alnum(4),
            "generic",
        )
    if k == 3:
        nm, v = gen_vendor(rng, forbid + "#'\"$ ", "Stripe")
        return "STRIPE_SECRET_KEY", "", v, "vendor"
    if k == 4:
        return "JWT_SECRET", "", gen_generic_secret(rng, forbid + "#'\"$ "), "generic"
    if k == 5:
        return "MAIL_PASSWORD", "", gen_password(rng, forbid + "#'\"$ "), "password"
    var = rng.choice(["SENDGRID_API_KEY", "GH_TOKEN", "OPENAI_API_KEY", "MAILGUN_SECRET"])
    nm, v = gen_vendor(
        rng,
        forbid + "#'\"$ ",
        {"SENDGRID_API_KEY": "SendGrid", "GH_TOKEN": "GitHub", "OPENAI_API_KEY": "OpenAI", "MAILGUN_SECRET": "Mailgun"}[
            var
        ],
    )
    return var, "", v, "vendor"


def sp_env_inventory(rng, fmt):
    doc = Doc()
    lang = pick_lang(rng)
    c = Ctx(rng, lang, "markdown" if fmt == "md" else "csv")
    app = rng.choice(["shop-api", "crm-web", "billing-worker", "intranet", "mobile-bff"])
    rows = []
    used = set()
    pub = rng.sample(ENV_PUBLIC, rng.randint(2, 5))
    for _ in range(rng.randint(1, 4)):
        row = ("s",) + _env_secret(rng, '|,"`')
        if row[1] not in used:
            used.add(row[1])
            rows.append(row)
    rows += [(None,) + p for p in pub]
    rng.shuffle(rows)
    if fmt == "md":
        doc.t(
            f"## {app} - "
            + c.hdr("env")
            + "\n\n| "
            + c.hdr("app")
            + " | Variable | "
            + c.hdr("notes")
            + " |\n|---|---|---|\n"
        )
        for row in rows:
            doc.t(f"| {app} | `")
            if row[0] is None:
                doc.t(f"{row[1]}={row[2]}")
            else:
                doc.t(f"{row[1]}={row[2]}")
                doc.v(row[3], "SECRET", row[4])
            doc.t("` | " + (c.note() if rng.random() < 0.3 else "") + " |\n")
    elif fmt == "csv":
        doc.t("app,key,value\n")
        for row in rows:
            if row[0] is None:
                doc.t(f"{app},{row[1]},{row[2]}\n")
            else:
                doc.t(f"{app},{row[1]},{row[2]}")
                doc.v(row[3], "SECRET", row[4])
                doc.t("\n")
        lang = "en"
    else:
        doc.t(f"# {app} / .env ({c.hdr('env')})\n")
        for row in rows:
            if row[0] is None:
                doc.t(f"{row[1]}={row[2]}\n")
            else:
                doc.t(f"{row[1]}={row[2]}")
                doc.v(row[3], "SECRET", row[4])
                doc.t("\n")
    return doc, lang, "env_inventory"


def sp_ldif(rng):
    doc = Doc()
    base = rng.choice(["dc=nordhafen,dc=local", "dc=corp,dc=kestrel,dc=io", "o=polderdata"])
    for _ in range(rng.randint(2, 5)):
        p = Person(rng, rng.choice(["en", "de", "nl", "fr", "sv"]))
        uid = p.user.replace(".", "")
        doc.t(
            f"dn: uid={uid},ou=people,{base}\nobjectClass: inetOrgPerson\ncn: {fold(p.display.split()[0]).capitalize()} {fold(p.display.split()[-1]).capitalize()}\nuid: {uid}\nmail: "
        )
        doc.v(p.email, "EMAIL_ADDRESS", "email")
        doc.t("\nuserPassword: ")
        doc.v(gen_password(rng, " {}"), "SECRET", "password")
        doc.t("\n\n")
    return doc, "en", "ldif_export"


def sp_router_fixed(rng):
    """MSP handover sheet: fixed-width, header row far above values."""
    doc = Doc()
    lang = pick_lang(rng)
    c = Ctx(rng, lang, "fixed")
    doc.t(c.cap("network") + "\n" + c.cap("conf") + "\n\n")
    cols = [c.hdr("location"), c.hdr("model"), c.hdr("wan_ip"), c.hdr("admin_user"), c.hdr("admin_password")]
    w = [16, 22, 18, 14, 24]
    doc.t("".join(h.ljust(w[i] + 2) for i, h in enumerate(cols)).rstrip() + "\n" + "-" * 96 + "\n")
    for _ in range(rng.randint(8, 16)):
        loc, model = rng.choice(SITES), rng.choice(ROUTER_MODELS)
        ip = pub_ip4(rng)
        user = rng.choice(["admin", "root", "netadmin", "support"])
        pw = gen_password(rng, " ")
        doc.t(loc.ljust(w[0] + 2) + model.ljust(w[1] + 2))
        doc.v(ip, "IP_ADDRESS", "ip")
        doc.t(" " * (w[2] + 2 - len(ip)) + user.ljust(w[3] + 2))
        doc.v(pw, "SECRET", "password")
        doc.t("\n")
    return doc, lang, "fixed_width_report"


POS_SPECIALS = (
    [
        ("combo_email_" + n, (lambda s: lambda r: sp_combo(r, s))(s))
        for n, s in [("colon", ":"), ("semicolon", ";"), ("pipe", "|"), ("comma", ","), ("tab", "\t")]
    ]
    + [
        ("combo_user_" + n, (lambda s: lambda r: sp_combo(r, s, email=False))(s))
        for n, s in [("colon", ":"), ("semicolon", ";"), ("pipe", "|")]
    ]
    + [
        ("combo_header", lambda r: sp_combo(r, r.choice([":", ";", "|"]), header=True)),
        ("combo_user_header", lambda r: sp_combo(r, r.choice([":", "|"]), email=False, header=True)),
        ("combo_site", lambda r: sp_combo(r, r.choice(["|", " | "]), site=True)),
    ]
    + [
        ("pm_" + f, (lambda f: lambda r: sp_pm_csv(r, f))(f))
        for f in ["chrome", "lastpass", "bitwarden", "onepassword", "firefox"]
    ]
    + [
        ("pm_keepass", sp_keepass_xml),
        ("pm_bitwarden_json", sp_bitwarden_json),
        ("netrc", sp_netrc),
        ("pgpass", sp_pgpass),
        ("sa_json", sp_service_accounts_json),
        ("deploy_keys_yaml", sp_deploy_keys_yaml),
        ("keys_html", sp_keys_html),
        ("keys_csv", sp_keys_csv),
        ("docker_auths", sp_docker_auths),
        ("curl_table", sp_curl_table),
        ("wifi_qr", sp_wifi_qr),
        ("env_md", lambda r: sp_env_inventory(r, "md")),
        ("env_csv", lambda r: sp_env_inventory(r, "csv")),
        ("env_dotenv", lambda r: sp_env_inventory(r, "dotenv")),
        ("ldif", sp_ldif),
        ("router_fixed", sp_router_fixed),
    ]
)


# ---------------------------------------------------------------------------
# Special negative templates
# ---------------------------------------------------------------------------
def sn_htpasswd(rng):
    doc = Doc()
    if rng.random() < 0.5:
        doc.t("# /etc/nginx/.htpasswd\n")
    g = Gen(rng)
    for _ in range(rng.randint(3, 8)):
        u = Person(rng, "en").user
        h = rng.choice(
            [
                bcrypt_hash(rng),
                "$apr1$" + g.s(ALNUM + "./", 8) + "$" + g.s(ALNUM + "./", 22),
                "{SHA}" + b64(rbytes(rng, 20)),
            ]
        )
        doc.t(f"{u}:{h}\n")
    return doc, "en", "htpasswd_listing", "password_hashes"


def sn_shadow(rng):
    doc = Doc()
    g = Gen(rng)
    for u in ["root", "daemon", "bin", "sys"]:
        doc.t(f"{u}:{'*' if u != 'root' else pw_hash(rng)}:19{rng.randint(100, 999)}:0:99999:7:::\n")
    for _ in range(rng.randint(2, 5)):
        u = Person(rng, "en").user.replace(".", "")
        doc.t(
            f"{u}:{rng.choice(['$6$' + g.s(ALNUM + './', 16) + '$' + g.s(ALNUM + './', 86), '$y$j9T$' + g.s(ALNUM + './', 22) + '$' + g.s(ALNUM + './', 43), '!'])}:19{rng.randint(100, 999)}:0:99999:7:::\n"
        )
    return doc, "en", "shadow_file_listing", "password_hashes"


def sn_ldif_hashes(rng):
    doc = Doc()
    for _ in range(rng.randint(2, 4)):
        p = Person(rng, "en")
        doc.t(
            f"dn: uid={p.user},ou=people,dc=corp,dc=lan\nuid: {p.user}\nmail: {p.user}@corp.test\nuserPassword: {{SSHA}}{b64(rbytes(rng, 24))}\n\n"
        )
    return doc, "en", "ldif_export", "password_hashes"


def sn_cert_json(rng):
    doc = Doc()
    doc.t("[\n")
    n = rng.randint(1, 3)
    for i in range(n):
        pub = rng.random() < 0.4
        doc.t(
            f'  {{"name": "{rng.choice(["ingress-tls", "api-gateway", "mtls-client", "sso-signing"])}", "{"public_key" if pub else "certificate"}": "{esc_json(gen_certificate(rng, pub))}", "not_after": "{fdate(Ctx(rng, "en", "json"), 2025, 2027, "iso")}"}}'
            + (",\n" if i < n - 1 else "\n")
        )
    doc.t("]\n")
    return doc, "en", "json_array", "public_certificates"


def sn_cert_yaml(rng):
    doc = Doc()
    doc.t("trusted_certificates:\n")
    for _ in range(rng.randint(1, 2)):
        doc.t(f"  - alias: {rng.choice(['root-ca', 'intermediate', 'partner-bank', 'ldaps'])}\n    pem: |\n      ")
        doc.t(gen_certificate(rng, rng.random() < 0.3).replace("\n", "\n      ") + "\n")
    return doc, "en", "yaml_list", "public_certificates"


def sn_env_example(rng):
    doc = Doc()
    lang = pick_lang(rng)
    doc.t(
        "| Variable | "
        + (T[lang]["value"][0] if "value" in T[lang] else EN_FB["value"])
        + " | "
        + T[lang]["notes"][0]
        + " |\n|---|---|---|\n"
    )
    for var, val in rng.sample(
        [
            ("DB_PASSWORD", "<db password from vault>"),
            ("API_TOKEN", "${API_TOKEN}"),
            ("SMTP_PASS", "${SMTP_PASS}"),
            ("STRIPE_KEY", "sk_live_..."),
            ("JWT_SECRET", "(generate with openssl rand -hex 32)"),
            ("REDIS_PASSWORD", "{{ redis_password }}"),
            ("ADMIN_PASSWORD", "********"),
            ("MAIL_PASSWORD", "%MAIL_PASSWORD%"),
            ("OAUTH_CLIENT_SECRET", "<from Azure portal>"),
            ("AWS_SECRET_ACCESS_KEY", "[stored in SSM]"),
        ],
        rng.randint(3, 6),
    ):
        doc.t(f"| `{var}` | `{val}` | {NOTE[lang][rng.randrange(6)] if rng.random() < 0.7 else ''} |\n")
    return doc, lang, "markdown_table", "placeholder_credentials"


MASKED_COMBO_HEAD = [
    "Accounts to reset (passwords masked):",
    "Reset-Liste (Passwörter maskiert):",
    "Liste des comptes (mots de passe masqués) :",
]


def sn_masked_combo(rng):
    doc = Doc()
    doc.t(rng.choice(MASKED_COMBO_HEAD) + "\n")
    lang = "en" if doc.buf[0].startswith("Accounts") else ("de" if doc.buf[0].startswith("Reset") else "fr")
    for _ in range(rng.randint(4, 9)):
        p = Person(rng, lang)
        doc.t(f"{p.user}:{rng.choice(['********', '***', '[hidden]', '•' * rng.randint(6, 12)])}\n")
    return doc, lang, "combo_list", "placeholder_credentials"


def sn_firewall_private(rng):
    doc = Doc()
    doc.t("RULE  SRC                 DST                 PORT   ACTION\n")
    for i in range(rng.randint(4, 9)):
        src = rng.choice(
            [priv_ip4(rng) + "/" + str(rng.choice([32, 24, 16])), "any", f"203.0.113.{rng.randint(1, 254)}"]
        )
        dst = rng.choice([priv_ip4(rng), f"198.51.100.{rng.randint(1, 254)}", "10.0.0.0/8"])
        doc.t(
            f"{i + 1:<6}{src:<20}{dst:<20}{rng.choice(['22', '443', '3389', '5432', 'any']):<7}{rng.choice(['allow', 'deny'])}\n"
        )
    return doc, "en", "fixed_width_report", "private_ips"


def sn_google_client(rng):
    doc = Doc()
    g = Gen(rng)
    doc.t('{\n  "clients": [\n')
    n = rng.randint(2, 4)
    for i in range(n):
        cid = safe(lambda: f"{rng.randint(10**11, 10**12 - 1)}-{g.s(LOW + DIG, 32)}.apps.googleusercontent.com")
        doc.t(
            f'    {{"app": "{rng.choice(["web", "android", "ios", "desktop"])}", "client_id": "{cid}", "project_id": "{rng.choice(["shop", "crm", "intranet"])}-{rng.randint(1000, 9999)}"}}'
            + (",\n" if i < n - 1 else "\n")
        )
    doc.t("  ]\n}\n")
    return doc, "en", "json_array", "oauth_client_ids"


def sn_usernames_combo(rng):
    doc = Doc()
    doc.t("username;display_name;last_login\n")
    for _ in range(rng.randint(4, 10)):
        p = Person(rng, rng.choice(LANGS))
        doc.t(f"{p.user};{p.display};{fdatetime(Ctx(rng, 'en', 'csv'))}\n")
    return doc, "en", "csv_export", "usernames"


NEG_SPECIALS = [
    ("htpasswd", sn_htpasswd),
    ("shadow", sn_shadow),
    ("ldif_hashes", sn_ldif_hashes),
    ("cert_json", sn_cert_json),
    ("cert_yaml", sn_cert_yaml),
    ("env_example", sn_env_example),
    ("masked_combo", sn_masked_combo),
    ("firewall_private", sn_firewall_private),
    ("google_clients", sn_google_client),
    ("usernames_csv", sn_usernames_combo),
]

# ---------------------------------------------------------------------------
# Template registry
# ---------------------------------------------------------------------------
POS_TABLE_VARIANTS = 3
POS_SPECIAL_VARIANTS = 4
NEG_TABLE_VARIANTS = 3
NEG_SPECIAL_VARIANTS = 4
RENDERERS_PER_POS_SCHEMA = 6
RENDERERS_PER_NEG_SCHEMA = 4


def build_templates(rng):
    tpl = []
    cyc = RENDERERS[:]
    rng.shuffle(cyc)
    pos_i = 0
    for spec in POS_SCHEMAS:
        for k in range(RENDERERS_PER_POS_SCHEMA):
            rd = cyc[pos_i % len(cyc)]
            pos_i += 1
            tpl.append(
                (
                    f"{spec[0]}/{rd}",
                    "positive",
                    (lambda s, d: lambda r: gen_pos_table(r, s, d) + ("positive",))(spec, rd),
                    POS_TABLE_VARIANTS,
                )
            )
    for name, fn in POS_SPECIALS:
        tpl.append((name, "positive", (lambda f: lambda r: f(r) + ("positive",))(fn), POS_SPECIAL_VARIANTS))
    cyc2 = RENDERERS[:]
    rng.shuffle(cyc2)
    neg_i = 0
    for spec in NEG_SCHEMAS:
        for k in range(RENDERERS_PER_NEG_SCHEMA):
            rd = cyc2[neg_i % len(cyc2)]
            neg_i += 1
            tpl.append(
                (
                    f"{spec[0]}/{rd}",
                    "negative",
                    (lambda s, d: lambda r: gen_neg_table(r, s, d) + (s[0],))(spec, rd),
                    NEG_TABLE_VARIANTS,
                )
            )
    for name, fn in NEG_SPECIALS:
        tpl.append((name, "negative", fn, NEG_SPECIAL_VARIANTS))
    return tpl


# ---------------------------------------------------------------------------
# Checks
# ---------------------------------------------------------------------------
SECRET_SHAPES = [
    re.compile(p)
    for p in (
        r"ghp_[A-Za-z0-9]{36}",
        r"github_pat_[A-Za-z0-9_]{50,}",
        r"glpat-[A-Za-z0-9_-]{20}",
        r"xox[bpas]-\d{6,}-",
        r"sk_live_[A-Za-z0-9]{20,}",
        r"rk_live_[A-Za-z0-9]{20,}",
        r"sk-ant-api03-",
        r"AIza[A-Za-z0-9_-]{35}",
        r"SG\.[A-Za-z0-9_-]{22}\.",
        r"PRIVATE KEY-----",
        r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.",
        r"(?:AKIA|ASIA)[A-Z2-7]{16}",
        r"hvs\.[A-Za-z0-9_-]{20,}",
        r"npm_[A-Za-z0-9]{36}",
        r"dop_v1_[0-9a-f]{64}",
    )
]


def secret_shapes(text):
    out = []
    for rx in SECRET_SHAPES:
        for m in rx.finditer(text):
            ctx = text[max(0, m.start() - 5) : m.end() + 30]
            if "EXAMPLE" in ctx or not marker_free(m.group()):
                continue
            out.append(m.group())
    return out


_EMAIL_FULL = re.compile(r"[A-Za-z0-9._%+-]+@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,})")


def check_span_value(ent, val, kind):
    assert val and val == val.strip(), ("whitespace", val)
    assert marker_free(val), ("marker", val)
    if ent == "EMAIL_ADDRESS":
        m = _EMAIL_FULL.fullmatch(val)
        assert m and not domain_reserved(m.group(1)), ("email", val)
    elif ent == "IP_ADDRESS":
        assert ip_public(val), ("ip", val)
    elif ent == "CREDIT_CARD":
        assert re.fullmatch(r"\d+(?:[ -]\d+)*", val), ("card format", val)
        d = re.sub(r"[ -]", "", val)
        assert is_card(d), ("card", val)
    elif ent == "SECRET":
        if kind == "password":
            ok = pw_valid(val)
            if not ok:
                parts = re.split(r"[-._+]", val)
                ok = (
                    len(parts) >= 4
                    and any(p.isdigit() for p in parts)
                    and val[0].isalnum()
                    and val[-1] not in BAD_END
                    and len(val) >= 8
                )
            assert ok, ("password", val)
        elif kind == "code":
            assert 6 <= len(val) <= 8 and val.isalnum() and re.search("[A-Za-z]", val) and re.search("[0-9]", val), (
                "code",
                val,
            )
        elif kind == "private_key":
            assert (
                val.startswith("-----BEGIN ") and val.endswith("PRIVATE KEY-----") and "PRIVATE KEY-----" in val[:40]
            ), ("pk", val[:40])
        assert val[0].isalnum() or val.startswith("-----BEGIN"), ("secret start", val)
        assert val[-1] not in ",;:!?" or kind == "private_key", ("secret end", val)
    else:
        raise AssertionError(ent)


_MARKERS = {}


def lang_markers(lang):
    if lang not in _MARKERS:
        _MARKERS[lang] = _lang_markers(lang)
    return _MARKERS[lang]


def _lang_markers(lang):
    """Localised strings the generator can emit for a language (minus those equal to English ones)."""
    en = (
        set(x for v in T["en"].values() for x in v)
        | {v[0] for v in CAP["en"].values()}
        | set(NOTE["en"])
        | set(EN_FB.values())
    )
    words = set(x for v in T[lang].values() for x in v) | {v[0] for v in CAP[lang].values()} | set(NOTE[lang])
    words |= set(DEPTS[lang]) | set(EVENTS[lang]) | set(PLACEHOLDERS_LOC[lang]) | set(MASKED_COMBO_HEAD)
    if lang in COMBO_HEAD:
        words.add(COMBO_HEAD[lang].split("{")[0].strip())
    return {w for w in words if w not in en and len(w) >= 2}


def run_checks(records, internal):
    markers = {l: lang_markers(l) for l in LANGS if l != "en"}
    ids = set()
    texts = set()
    for rec, spans in zip(records, internal):
        assert rec["id"] not in ids, rec["id"]
        ids.add(rec["id"])
        assert rec["text"] not in texts, rec["id"]
        texts.add(rec["text"])
        text = rec["text"]
        assert rec["lang"] in LANGS, rec["id"]
        if rec["lang"] != "en":
            low = text.lower()
            assert any(w.lower() in low for w in markers[rec["lang"]]), ("no text in the labelled language", rec["id"])
        assert re.fullmatch(r"[a-z0-9_]+", rec["context"]) and re.fullmatch(r"[a-z0-9_]+", rec["category"])
        if rec["category"] == "positive":
            assert spans, ("positive without spans", rec["id"])
        else:
            assert not spans and not rec["spans"], ("negative with spans", rec["id"])
        prev = 0
        for (st, en, ent, val, kind), js in zip(spans, rec["spans"]):
            assert js == {"start": st, "end": en, "entity": ent}
            assert 0 <= st < en <= len(text), rec["id"]
            assert st >= prev, ("overlap/order", rec["id"])
            prev = en
            assert text[st:en] == val, ("offset", rec["id"], val)
            check_span_value(ent, val, kind)
        masked = []
        last = 0
        for st, en, *_ in spans:
            masked.append(text[last:st])
            masked.append("\u2588")
            last = en
        masked.append(text[last:])
        rest = "".join(masked)
        hits = scan(rest)
        assert not hits, ("scanner hit in unlabelled text", rec["id"], hits)
        sh = secret_shapes(rest)
        assert not sh, ("secret-shaped string in unlabelled text", rec["id"], sh)


def main():
    rng = random.Random(SEED)
    templates = build_templates(rng)
    records, internal = [], []
    seen = set()
    for ti, (tname, kind, fn, nvar) in enumerate(templates, 1):
        for vi in range(1, nvar + 1):
            for _ in range(20):
                doc, lang, context, category = fn(rng)
                text = doc.text()
                if text in seen:
                    continue
                if kind == "positive" and not doc.spans:
                    continue
                break
            else:
                raise RuntimeError("could not make unique record for " + tname)
            seen.add(text)
            assert (category == "positive") == (kind == "positive"), tname
            records.append(
                {
                    "id": f"t18-{ti}-{vi}",
                    "text": text,
                    "lang": lang,
                    "context": context,
                    "category": category,
                    "spans": [{"start": s, "end": e, "entity": ent} for s, e, ent, _, _ in doc.spans],
                }
            )
            internal.append(doc.spans)
    run_checks(records, internal)

    # size targets of the brief
    ent_count = collections.Counter(s["entity"] for r in records for s in r["spans"])
    cats = collections.Counter(r["category"] for r in records)
    neg = sum(v for k, v in cats.items() if k != "positive")
    assert 1000 <= len(records) <= 1300, len(records)
    assert ent_count["SECRET"] >= 600 and ent_count["EMAIL_ADDRESS"] >= 100
    assert ent_count["IP_ADDRESS"] >= 100 and ent_count["CREDIT_CARD"] >= 50, ent_count
    assert neg >= 450 and neg / len(records) >= 0.40, neg
    assert len(cats) - 1 >= 25, len(cats)
    assert len(templates) >= 200

    with open(OUT, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    print(f"wrote {len(records)} records to {OUT}")
    print(
        f"templates: {len(templates)} ({sum(1 for t in templates if t[1] == 'positive')} positive, "
        f"{sum(1 for t in templates if t[1] == 'negative')} negative)"
    )
    print(f"positive records: {cats['positive']}, hard-negative records: {neg} ({100 * neg / len(records):.1f} %)")
    print("spans per entity:", dict(sorted(ent_count.items())), "total", sum(ent_count.values()))
    print(f"hard-negative categories ({len(cats) - 1}):")
    for k, v in sorted(cats.items()):
        if k != "positive":
            print(f"  {k}: {v}")
    print("languages:", dict(collections.Counter(r["lang"] for r in records).most_common()))
    ctxs = collections.Counter(r["context"] for r in records)
    print(f"contexts ({len(ctxs)}):", dict(ctxs.most_common()))
    kinds = collections.Counter(k for sp in internal for _, _, ent, _, k in sp if ent == "SECRET")
    print("SECRET span kinds:", dict(kinds.most_common()))


if __name__ == "__main__":
    main()
