/** How keys are spread over servers. See docs/cluster.md for the trade-offs. */
export type DistributionName = 'ketama' | 'ketama-unweighted' | 'modula' | 'memjs';

export const DISTRIBUTIONS: readonly DistributionName[] = ['ketama', 'ketama-unweighted', 'modula', 'memjs'];

/** A server as the distributions see it: where it is and how large a share it gets. */
export interface WeightedServer {
  readonly host: string;
  readonly port: number;
  /** A whole number >= 1; a server of weight 2 gets about twice the keys of one of weight 1. */
  readonly weight: number;
}

/** Answers the index (into the server list it was built from) of the server that owns `key`. */
export type ServerPicker = (key: string) => number;
