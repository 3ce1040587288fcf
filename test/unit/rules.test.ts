import assert from 'node:assert/strict';
import { RuleSet } from '../../src/routing/rules';
import { Router } from '../../src/routing/router';
import { KeywordClassifier, testRules } from '../support/keyword-classifier';

const departments = [
  { key: 'hr', name: 'HR', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 }, rules: { authors: ['@JobBoardDE', '987654'], keywords: ['initiativbewerbung'] } },
  { key: 'sales', name: 'Sales', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 }, rules: { keywords: ['price list', 'b2b'] } },
  { key: 'support', name: 'Support', sla: { firstResponseMinutes: 60, resolutionMinutes: 600 } },
];

describe('routing rules beside the model', () => {
  const rules = new RuleSet(departments);

  it('matches authors by handle (any case, with or without @) or id, and keywords as whole words', () => {
    assert.deepEqual(rules.match('anything', { handle: 'jobboardde' }), { department: 'hr', rule: 'author jobboardde' });
    assert.deepEqual(rules.match('anything', { id: '987654' }), { department: 'hr', rule: 'author 987654' });
    assert.equal(rules.match('Could I get the PRICE LIST?')?.department, 'sales');
    assert.equal(rules.match('our B2B shop')?.department, 'sales');
    assert.equal(rules.match('b2bshop is a word of its own'), undefined);
    assert.equal(rules.match('Meine Initiativbewerbung!')?.department, 'hr');
  });

  it('wins over the model, keeps the model\'s view and says which rule decided', () => {
    const router = new Router(new KeywordClassifier(testRules), { threshold: 0.5, departments: departments.map((d) => d.key), rules });
    const byAuthor = router.route('my thermostat is broken', { handle: '@JobBoardDE' });
    assert.deepEqual([byAuthor.department, byAuthor.method, byAuthor.rule, byAuthor.label], ['hr', 'rule', 'author @JobBoardDE', 'support']);
    const byModel = router.route('my thermostat is broken', { handle: '@someone' });
    assert.deepEqual([byModel.department, byModel.method, byModel.rule], ['support', 'model', undefined]);
  });
});
