import { Controller, Get, Module } from '@nestjs/common';
import { waitFor } from '@understudy/testing';
import { connect } from 'node:net';
import { createService, type RunningService } from '../src';

@Controller('probe')
class ProbeController {
  @Get('ok')
  ok() {
    return { ok: true };
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('HTTP server deadlines', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await createService({
      service: 'timeouts-it',
      title: 'test',
      description: 'test',
      config: {
        PORT: 0,
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        SHUTDOWN_TIMEOUT_MS: 5_000,
        SHUTDOWN_DRAIN_DELAY_MS: 0,
        HTTP_REQUEST_TIMEOUT_MS: 7_000,
        HTTP_CONNECTION_TIMEOUT_MS: 1_000,
      },
      dependencies: {},
      imports: [ProbeModule],
    });
    await service.app.listen(0, '127.0.0.1');
  });

  afterAll(async () => {
    await service?.app.close();
  });

  it('closes a connection whose client stops sending halfway through a request', async () => {
    const address = service.app.getHttpServer().address() as { port: number };
    const socket = connect(address.port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined);
    socket.write('POST /probe/ok HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":');
    try {
      await waitFor(() => closed, { timeoutMs: 20_000, what: 'the server to close the stalled connection' });
    } finally {
      socket.destroy();
    }
  });

  it('bounds how long a client may take to send a whole request', () => {
    expect(service.app.getHttpServer().requestTimeout).toBe(7_000);
  });
});
