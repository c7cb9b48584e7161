import fc from 'fast-check';

// Every property test runs from a known seed, so a failure can be replayed: fast-check
// prints the seed (and the path of the shrunk counterexample) in the failure. Replay or explore
// with FC_SEED=<n> npm test; the default is fixed so that two runs of the suite agree.
const seed = process.env.FC_SEED === undefined ? 20_261_201 : Number(process.env.FC_SEED);
if (!Number.isSafeInteger(seed)) throw new Error(`FC_SEED must be an integer, not ${process.env.FC_SEED}`);
fc.configureGlobal({ seed });
