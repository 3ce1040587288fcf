import { strict as assert } from 'node:assert';
import { detectLanguage } from '..';
import { languageByCues } from '../language';

/** Messages in languages we do not stem, several without their accents (as people type them); none may be taken for en or de. */
const FOREIGN = [
  'Wie is de eigenaar van dit huis? Ik weet het niet, maar het is mooi.',
  'Die app werkt niet meer na de update, wat moet ik doen?',
  'Mijn bestelling is nog steeds niet aangekomen, kunnen jullie helpen?',
  'Wat kost een abonnement voor een jaar? Is er korting voor studenten?',
  'Jeg har ikke modtaget min pakke, hvor er den? Kan I hjaelpe mig med det?',
  'Der er en fejl i appen, den virker ikke naar jeg aabner den',
  'Jag har inte fatt min bestallning, kan ni hjalpa mig? Det ar brattom.',
  'Hvor er pakken min? Den har ikke kommet enda, og jeg venter fortsatt',
  "Je n'ai pas recu ma commande, pouvez-vous m'aider ? C'est urgent",
  'Bonjour, est-ce que vous avez un tarif pour les associations ?',
  'Ma commande n’est toujours pas arrivée, pouvez-vous vérifier ?',
  'No he recibido mi pedido, pueden ayudarme? Es urgente por favor',
  'Hola, cuanto cuesta el plan para empresas con diez usuarios?',
  'Non ho ricevuto il mio ordine, potete aiutarmi? Grazie mille',
  'Nao recebi o meu pedido, podem ajudar? Obrigado pela atencao',
  'Nie otrzymalem zamowienia, czy mozecie mi pomoc? To pilne',
  'Siparisimi almadim, bana yardim edebilir misiniz? Acil bir durum',
  'Saya belum menerima pesanan saya, bisakah anda membantu? Terima kasih',
  'Ek het nie my bestelling ontvang nie, kan julle my asseblief help?',
  'Hindi ko pa natatanggap ang order ko, pwede niyo ba akong tulungan?',
  'Tilaukseni ei ole vielakaan saapunut, voitteko auttaa minua?',
  'Comanda mea nu a ajuns inca, ma puteti ajuta va rog frumos?',
  'Мой заказ до сих пор не пришёл, помогите пожалуйста',
];

describe('classifiers: language detection', function () {
  it('settles clear English and German from their function words', function () {
    assert.equal(languageByCues('my order still has not arrived, can you check?'), 'en');
    assert.equal(languageByCues('meine bestellung ist immer noch nicht angekommen'), 'de');
    assert.equal(detectLanguage('Where can I find my W2 form?'), 'en');
    assert.equal(detectLanguage('Wann kommt der nächste Zug nach Köln? Ich warte seit einer Stunde'), 'de');
  });

  it('leaves mixed, short and cue-less messages to eld', function () {
    assert.equal(languageByCues('bring cod ghosts to games with gold, please! wegen dieser aussage bin ich sauer'), undefined);
    assert.equal(languageByCues('thanks'), undefined);
    assert.equal(languageByCues('bahn plant 2016 baustellen'), undefined);
    assert.equal(detectLanguage('Vielen Dank'), 'de');
  });

  it('does not read links, handles or hashtags as words', function () {
    // '.de' in a link and '@the_bus' would otherwise block German or count as English
    assert.equal(languageByCues('das ist nicht gut https://www.bahn.de/the'), 'de');
    assert.equal(languageByCues('@the_and ich bin sauer, der zug ist nicht gekommen'), 'de');
  });

  it('never takes another language for English or German, by cues or by eld', function () {
    for (const text of FOREIGN) {
      assert.equal(languageByCues(text.toLowerCase()), undefined, text);
      assert.equal(detectLanguage(text), 'und', text);
    }
  });
});
