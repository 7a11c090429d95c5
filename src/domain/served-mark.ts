// What a caller was served of a cache entry, and when (rejection recovery: the same caller asking
// again within the TTL means the gateway rejected what it got).

export interface ServedMark {
  servedAt: number;
  /** fetchedAt of the credential that was served. */
  fetchedAt: number;
}
