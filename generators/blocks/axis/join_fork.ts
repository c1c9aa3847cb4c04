// One import for designs that split and merge cell streams: axis_join (join.ts) and
// axis_fork (fork.ts).
export { buildAxisJoin, joinFlops, joinInputPrefix, joinName, joinParams, type JoinConfig } from './join.ts';
export { buildAxisFork, forkName, forkOutputPrefix, forkParams, type ForkConfig } from './fork.ts';
