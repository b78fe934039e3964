/** Words the seeds build names from (products, locations, companies). */
export const ADJECTIVES = ['Classic', 'Organic', 'Heavy', 'Light', 'Vintage', 'Everyday', 'Trail', 'Studio'];
export const CITIES: Array<[string, string, string]> = [
  ['Ottawa', 'CA', 'K1P 1J1'],
  ['Toronto', 'CA', 'M5V 2T6'],
  ['Chicago', 'US', '60601'],
  ['Austin', 'US', '73301'],
  ['Berlin', 'DE', '10115'],
  ['Leeds', 'GB', 'LS1 1UR'],
];
