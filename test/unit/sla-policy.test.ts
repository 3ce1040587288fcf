import assert from 'node:assert/strict';
import { validateSlaPolicy } from '../../src/domain/sla';

describe('validateSlaPolicy', () => {
  it('accepts targets with or without business hours', () => {
    assert.deepEqual(validateSlaPolicy({ firstResponseMinutes: 60, resolutionMinutes: 1440 }), []);
    assert.deepEqual(
      validateSlaPolicy({
        firstResponseMinutes: 30,
        nextResponseMinutes: 120,
        resolutionMinutes: 2400,
        businessHours: { timeZone: 'Europe/Berlin', week: { mon: [['09:00', '17:00']] }, holidays: ['2026-12-24'] },
      }),
      [],
    );
  });

  it('names missing or non-positive targets and prefixes business-hours problems', () => {
    assert.deepEqual(validateSlaPolicy('fast'), ['an SLA policy must be an object']);
    assert.deepEqual(
      validateSlaPolicy({ firstResponseMinutes: 0, nextResponseMinutes: '2h', businessHours: { timeZone: 'Europe/Berlin', week: { mon: [['17:00', '09:00']] } } }),
      [
        'firstResponseMinutes must be a number of minutes greater than 0 (got 0)',
        'nextResponseMinutes must be a number of minutes greater than 0 (got "2h")',
        'resolutionMinutes must be a number of minutes greater than 0 (got nothing)',
        'businessHours: week.mon[0]: 17:00-09:00 ends before it starts (a period cannot cross midnight: split it into 17:00-24:00 and 00:00-09:00 on the next day)',
      ],
    );
  });
});
