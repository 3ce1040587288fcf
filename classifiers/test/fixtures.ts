import type { LabelledExample } from '../train';

const en: Record<string, string[]> = {
  support: [
    'My order arrived broken, how do I get a refund?',
    'I was charged twice for the same order, please help',
    'Where is my parcel? Tracking has not moved for a week',
    'I cannot log in to my account, the password reset email never arrives',
    'The delivery is late again and nobody answers the phone',
    'Please cancel my order and refund the money to my card',
    'My refund still has not arrived after two weeks',
    'Help, my account is locked after too many login attempts',
  ],
  sales: [
    'Do you offer a discount for teams of fifty people?',
    'What does the enterprise plan cost per year?',
    'Can I get a quote for 200 licenses?',
    'Is there a cheaper price if we pay annually?',
    'I would like to buy the premium plan for my company',
    'Do you have a reseller programme or volume pricing?',
    'How much is an upgrade to the business tier?',
    'We want to purchase licenses for our school, who can send an offer?',
  ],
  product: [
    'The app crashes every time I open the settings screen',
    'Feature request: dark mode for the dashboard please',
    'After the latest update the export button does nothing',
    'Bug: the search returns no results when the query has an umlaut',
    'The android app freezes when uploading a photo',
    'It would be great if the app could sync with my calendar',
    'The new version broke the keyboard shortcuts',
    'Please add an option to export reports as CSV',
  ],
  hr: [
    'Are you hiring software engineers in Berlin?',
    'I applied for the marketing job last month, any news on my application?',
    'How do I request parental leave?',
    'Is the internship position still open?',
    'Who do I talk to about my salary and payslip?',
    'I would like to apply for the open designer position',
    'Do you offer remote jobs or only office positions?',
    'How many vacation days do employees get?',
  ],
  other: [
    'Happy birthday to the whole team!',
    'Nice weather in Hamburg today',
    'Just watched the football match, what a game',
    'Good morning everyone, have a great week',
    'Your logo looks like a cat',
    'Thanks for the podcast episode yesterday, very funny',
    'Who is going to the concert tonight?',
    'I love pizza on a rainy Sunday',
  ],
};

const de: Record<string, string[]> = {
  support: [
    'Meine Bestellung ist kaputt angekommen, wie bekomme ich mein Geld zurück?',
    'Mir wurde der Betrag doppelt abgebucht, bitte helfen Sie mir',
    'Wo ist mein Paket? Die Sendungsverfolgung zeigt seit einer Woche nichts',
    'Ich kann mich nicht anmelden, die E-Mail zum Zurücksetzen des Passworts kommt nie an',
    'Die Lieferung ist schon wieder zu spät und niemand geht ans Telefon',
    'Bitte stornieren Sie meine Bestellung und erstatten Sie das Geld',
    'Meine Erstattung ist nach zwei Wochen immer noch nicht da',
    'Hilfe, mein Konto ist nach zu vielen Anmeldeversuchen gesperrt',
  ],
  sales: [
    'Gibt es einen Rabatt für Teams mit fünfzig Personen?',
    'Was kostet der Enterprise-Tarif pro Jahr?',
    'Können Sie mir ein Angebot für 200 Lizenzen schicken?',
    'Wird es günstiger, wenn wir jährlich bezahlen?',
    'Ich möchte den Premium-Tarif für meine Firma kaufen',
    'Haben Sie Staffelpreise für größere Mengen?',
    'Wie viel kostet das Upgrade auf den Business-Tarif?',
    'Wir wollen Lizenzen für unsere Schule kaufen, wer schickt uns ein Angebot?',
  ],
  product: [
    'Die App stürzt jedes Mal ab, wenn ich die Einstellungen öffne',
    'Wunsch: bitte einen Dunkelmodus für das Dashboard',
    'Nach dem letzten Update funktioniert der Export-Knopf nicht mehr',
    'Fehler: die Suche findet nichts, wenn ein Umlaut im Suchbegriff steht',
    'Die Android-App friert beim Hochladen eines Fotos ein',
    'Schön wäre, wenn die App mit meinem Kalender synchronisiert',
    'Die neue Version hat die Tastenkürzel kaputt gemacht',
    'Bitte eine Funktion zum Exportieren der Berichte als CSV einbauen',
  ],
  hr: [
    'Stellen Sie Softwareentwickler in Berlin ein?',
    'Ich habe mich letzten Monat beworben, gibt es Neuigkeiten zu meiner Bewerbung?',
    'Wie beantrage ich Elternzeit?',
    'Ist die Praktikumsstelle noch frei?',
    'Mit wem spreche ich über mein Gehalt und meine Gehaltsabrechnung?',
    'Ich möchte mich auf die offene Stelle als Designerin bewerben',
    'Bieten Sie auch Stellen im Homeoffice an?',
    'Wie viele Urlaubstage bekommen Mitarbeiter?',
  ],
  other: [
    'Alles Gute zum Geburtstag an das ganze Team!',
    'Schönes Wetter heute in Hamburg',
    'Gerade das Fußballspiel gesehen, was für ein Spiel',
    'Guten Morgen zusammen, habt eine schöne Woche',
    'Euer Logo sieht aus wie eine Katze',
    'Danke für die Podcastfolge gestern, sehr lustig',
    'Wer geht heute Abend auch zum Konzert?',
    'Ich liebe Pizza an einem verregneten Sonntag',
  ],
};

const expand = (lang: string, byLabel: Record<string, string[]>): LabelledExample[] =>
  Object.entries(byLabel).flatMap(([label, texts]) => texts.map((text) => ({ text, label, lang })));

/** Small hand-written examples in English and German for every default department. */
export const EXAMPLES: LabelledExample[] = [...expand('en', en), ...expand('de', de)];

/** A department outside the defaults. */
export const LEGAL: LabelledExample[] = [
  'Your terms of service violate GDPR, I will contact my lawyer',
  'Please delete all my personal data under GDPR article 17',
  'We received your cease and desist letter about the trademark',
  'Our lawyer needs the data processing agreement signed',
  'Ich verlange die Löschung meiner Daten nach DSGVO',
  'Mein Anwalt wird sich wegen der Datenschutzverletzung melden',
].map((text) => ({ text, label: 'legal' }));
