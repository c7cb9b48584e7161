/**
 * A request whose text is made when it leaves its TickWriter (`writeLate`), so that calls of the
 * same tick may still add to it until then (the text protocol's gets, joined into one line).
 */
export interface LateText {
  /** The request's text, asked once, when it leaves: nothing may be added to it after. */
  text(): string;
}
