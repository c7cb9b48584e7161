/**
 * A request whose text is made when it leaves its TickWriter (`writeLate`), so that calls of the
 * same tick may still add to it until then (the text protocol's gets, joined into one line). It
 * waits for the end of its tick even when it is the tick's first request (over TLS, when nothing
 * else awaits an answer, it leaves at once, as other requests do): a first request sent alone is
 * answered alone, so the tick that delivers that answer begins with a lone request again, and
 * every round of many callers would take two writes and two reads instead of one.
 */
export interface LateText {
  /** The request's text, asked once, when it leaves: nothing may be added to it after. */
  text(): string;
}
