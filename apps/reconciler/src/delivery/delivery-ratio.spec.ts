import { summarise } from './delivery-ratio';

describe('delivery ratio', () => {
  it('is the share of changes that reached the module by webhook, per shop, alerting below the threshold', () => {
    const hours = [
      { shop: 'a', hour: '2026-01-01T10:00:00.000Z', changes: 1_000, viaWebhook: 980, viaReconciler: 20 },
      { shop: 'a', hour: '2026-01-01T11:00:00.000Z', changes: 1_000, viaWebhook: 1_000, viaReconciler: 0 },
      { shop: 'b', hour: '2026-01-01T10:00:00.000Z', changes: 10, viaWebhook: 10, viaReconciler: 0 },
    ];
    const [a, b] = summarise(hours, 0.999);
    expect(a).toMatchObject({ shop: 'a', changes: 2_000, viaWebhook: 1_980, viaReconciler: 20, ratio: 0.99, alerting: true });
    expect(a!.hours.map((h) => h.ratio)).toEqual([0.98, 1]);
    expect(b).toMatchObject({ ratio: 1, alerting: false });
  });

  it('has no ratio (and no alert) for a window without changes', () => {
    expect(summarise([{ shop: 'a', hour: 'h', changes: 0, viaWebhook: 0, viaReconciler: 0 }], 0.999)[0]).toMatchObject({ ratio: null, alerting: false });
  });
});
