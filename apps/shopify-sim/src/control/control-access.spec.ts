import { isLoopback } from './control-access';

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.10.0.3', '::1', '::ffff:127.0.0.1'])('%s is this machine', (address) => expect(isLoopback(address)).toBe(true));

  it.each([undefined, '', '10.0.0.5', '192.168.1.1', '::ffff:10.0.0.5', 'fe80::1', '::', '0.0.0.0', '128.0.0.1', '127.0.0.1.evil'])('%s is not', (address) =>
    expect(isLoopback(address)).toBe(false),
  );
});
