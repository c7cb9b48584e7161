/**
 * A fetch loader that answers `value` once the test releases it: it counts its calls and says
 * when it was first called.
 */
export function heldLoader(value: string) {
  let release = (): void => {};
  let started = (): void => {};
  const held = new Promise<string>((resolve) => {
    release = () => resolve(value);
  });
  const loader = {
    calls: 0,
    started: new Promise<void>((resolve) => {
      started = resolve;
    }),
    release,
    load: (): Promise<string> => {
      loader.calls++;
      started();
      return held;
    },
  };
  return loader;
}
