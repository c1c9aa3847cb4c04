// Two test tiers. `npm test` (CI, the README's test command) runs every test except the slow
// cases marked `itFull`: extra Verilator builds of shapes the CI tier already covers with
// smaller ones (a cold build of a real-weights unit is 1-2 minutes on 2 cores), kept so the
// CI run stays under 30 minutes. `npm run test:full` (SCREEN_TEST_FULL=1) runs them all; each
// is a normal test there, so each can fail. In the CI tier they show as pending ("skipped").
export const FULL_TESTS = process.env.SCREEN_TEST_FULL === '1';

/** `it` in the full tier, `it.skip` in the CI tier. */
export const itFull: Mocha.TestFunction = (FULL_TESTS ? it : it.skip) as Mocha.TestFunction;
