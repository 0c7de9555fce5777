import { describe, expect, it } from 'vitest';

import { DEFAULT_SPEED, MAX_SPEED, parseDemoArgs } from './args.ts';

describe('the demo command line', () => {
  it('runs at the default speed without arguments, and at the speed given', () => {
    expect(parseDemoArgs([])).toEqual({ ok: true, value: { speed: DEFAULT_SPEED, help: false } });
    expect(parseDemoArgs(['--speed', '20'])).toMatchObject({ ok: true, value: { speed: 20 } });
    expect(parseDemoArgs(['--speed=2.5'])).toMatchObject({ ok: true, value: { speed: 2.5 } });
  });

  it.each([
    ['a speed that is no number', ['--speed', 'fast'], /--speed: must be a number/],
    ['a speed of zero', ['--speed', '0'], /--speed: must be above 0/],
    ['a speed above the fastest', ['--speed', String(MAX_SPEED + 1)], /--speed: must be at most 60/],
    ['a flag without its value', ['--speed'], /--speed/],
    ['an unknown flag', ['--accounts', '10'], /--accounts/],
  ])('refuses %s with a named error', (_label, argv, message) => {
    const parsed = parseDemoArgs(argv);
    expect(parsed).toMatchObject({ ok: false, error: { code: 'invalid_demo_arguments' } });
    if (!parsed.ok) expect(parsed.error.message).toMatch(message);
  });
});
