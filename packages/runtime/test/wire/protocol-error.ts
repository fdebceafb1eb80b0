/** For the wire and transport tests: run `fn`, which must throw TSMPI_ERR_PROTOCOL; returns that error. */
import { TsmpiError } from '@tsmpi/runtime';

export function protocolError(fn: () => void): TsmpiError {
  try {
    fn();
  } catch (err) {
    if (TsmpiError.is(err) && err.code === 'TSMPI_ERR_PROTOCOL') return err;
    throw new Error(`expected TSMPI_ERR_PROTOCOL, got ${String(err)}`);
  }
  throw new Error('expected TSMPI_ERR_PROTOCOL, nothing was thrown');
}
