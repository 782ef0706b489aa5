// Public surface of the check verdict: one report over every failure kind (resolver, notary policy, lockfile).
export { checkNotaryQuorum, type NotaryQuorumShortfall } from './quorum.js';
