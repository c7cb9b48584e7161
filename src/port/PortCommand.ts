/**
 * One command as every adapter runs it, declared once (`src/commands/`): a part per protocol, each
 * handed its adapter's wire (what that adapter offers to send a request and read its answers) and
 * the command's arguments. A port runs a command with `MemcachedPort.command`, picking its part.
 */
export interface PortCommand<A, T> {
  /** The client's method, e.g. `touch`. */
  readonly name: string;
  // Method syntax: each part takes its adapter's wire, a type this layer cannot name (the adapters
  // are above it); the commands layer types each part with its adapter's own.
  binary(wire: object, args: A): Promise<T>;
  meta(wire: object, args: A): Promise<T>;
  text(wire: object, args: A): Promise<T>;
}
