// Seeded Pitney Bowes Fulfillment work orders, shaped as the "Work Orders object" of the Find Work Orders document.
// Dates are anchored to the simulator's start time so that the document's six-month default window always hides
// most of the seed, whatever day the tests run on.
import { seededRandom } from '../harness.js';

export type PbStatus = 'CREATED' | 'INPROGRESS' | 'CANCELED' | 'CLOSED' | 'COMPLETE';
export const PB_STATUSES: readonly PbStatus[] = ['CREATED', 'INPROGRESS', 'CANCELED', 'CLOSED', 'COMPLETE'];

export interface PbWorkOrderLine {
  childSKU: string;
  lotNumbers: string[];
  issuedQuantity: number;
}

/** One work order in the vendor's own field names; optional fields are left out of the JSON when absent. */
export interface PbWorkOrder {
  clientId: string;
  clientWorkOrderId: string;
  workOrderId: string;
  workOrderName: string;
  description: string;
  type: 'KIT';
  status: PbStatus;
  node: string;
  createDate: string;
  /** Absent until the order is first updated, as in the document's example of a CREATED order. */
  updateDate?: string;
  pbCreateDate: string;
  pbUpdateDate?: string;
  sku: string;
  brand: string;
  workOrderQuantity: number;
  priority: 'PRIORITY' | 'STANDARD';
  requestedStartDate: string;
  requestedCompletionDate: string;
  startDate?: string;
  completionDate?: string;
  startQuantity: number;
  completedQuantity: number;
  lotNumbers: string[];
  rejectedQuantity: number;
  scrappedQuantity: number;
  workOrderLines: PbWorkOrderLine[];
  cancelDate?: string;
  pbCancelDate?: string;
  cancelReason?: string;
}

export const DEFAULT_SEED = 20_220_407;
export const WORK_ORDER_COUNT = 220;
/** Fulfillment centres work orders are produced in. */
export const NODES = ['160', '170', '185'] as const;

interface Kit {
  sku: string;
  name: string;
  brand: string;
  /** Child SKU and how many of it go into one kit. */
  components: [string, number][];
}

/** The master catalog of kits this client has PB assemble. */
export const KITS: readonly Kit[] = [
  {
    sku: 'Product-210411',
    name: 'Welcome Kit',
    brand: 'Acme',
    components: [
      ['Product-120445', 1],
      ['Product-120452', 1],
      ['Product-120460', 2],
    ],
  },
  {
    sku: 'ACME-HOLIDAY-GIFT-24',
    name: 'Holiday Gift Box',
    brand: 'Acme',
    components: [
      ['ACME-MUG-12OZ', 1],
      ['ACME-COCOA-3PK', 1],
      ['ACME-GIFTCARD-SLV', 1],
      ['GIFTBOX-MED-RED', 1],
    ],
  },
  {
    sku: 'ACME-ONBOARD-SALES',
    name: 'Sales Onboarding Kit',
    brand: 'Acme',
    components: [
      ['ACME-NOTEBOOK-A5', 1],
      ['ACME-PEN-BLK', 3],
      ['ACME-LANYARD', 1],
    ],
  },
  {
    sku: 'NWO-TRAIL-STARTER',
    name: 'Trail Starter Pack',
    brand: 'Northwind Outfitters',
    components: [
      ['NWO-BOTTLE-750', 1],
      ['NWO-HEADLAMP-200', 1],
      ['NWO-FIRSTAID-MINI', 1],
    ],
  },
  {
    sku: 'NWO-CAMP-COOK-SET',
    name: 'Camp Cook Set',
    brand: 'Northwind Outfitters',
    components: [
      ['NWO-POT-1L', 1],
      ['NWO-SPORK-TI', 2],
      ['NWO-STOVE-CAN', 1],
      ['NWO-MESH-BAG-S', 1],
    ],
  },
  {
    sku: 'NWO-WINTER-LAYER-KIT',
    name: 'Winter Layering Kit',
    brand: 'Northwind Outfitters',
    components: [
      ['NWO-BEANIE-MERINO', 1],
      ['NWO-GLOVE-LINER', 1],
    ],
  },
  {
    sku: 'BBW-SLEEP-RITUAL',
    name: 'Sleep Ritual Set',
    brand: 'Bluebird Wellness',
    components: [
      ['BBW-PILLOW-MIST-50', 1],
      ['BBW-EYE-MASK-SLK', 1],
      ['BBW-TEA-CHAM-10', 1],
    ],
  },
  {
    sku: 'BBW-DETOX-7DAY',
    name: '7-Day Detox Bundle',
    brand: 'Bluebird Wellness',
    components: [
      ['BBW-TEA-GREEN-14', 1],
      ['BBW-SHAKER-500', 1],
      ['BBW-GUIDE-DETOX', 1],
    ],
  },
  {
    sku: 'BBW-SAMPLER-TRIAL',
    name: 'Wellness Trial Sampler',
    brand: 'Bluebird Wellness',
    components: [['BBW-SACHET-ASSORT', 6]],
  },
  {
    sku: 'SCC-SUBSCR-MONTHLY',
    name: 'Monthly Coffee Box',
    brand: 'Summit Coffee Co.',
    components: [
      ['SCC-BEANS-250-ETH', 1],
      ['SCC-BEANS-250-COL', 1],
      ['SCC-TASTING-CARD', 1],
    ],
  },
  {
    sku: 'SCC-BREW-STARTER',
    name: 'Pour-Over Starter Kit',
    brand: 'Summit Coffee Co.',
    components: [
      ['SCC-DRIPPER-02', 1],
      ['SCC-FILTER-100', 1],
      ['SCC-BEANS-250-HSE', 1],
      ['SCC-SCOOP-STEEL', 1],
    ],
  },
  {
    sku: 'SCC-CORP-GIFT',
    name: 'Corporate Coffee Gift',
    brand: 'Summit Coffee Co.',
    components: [
      ['SCC-BEANS-250-HSE', 2],
      ['SCC-MUG-CERAMIC', 1],
    ],
  },
  {
    sku: 'LUM-GLOW-ROUTINE',
    name: 'Glow Routine Set',
    brand: 'Lumen Skincare',
    components: [
      ['LUM-CLEANSER-100', 1],
      ['LUM-SERUM-VITC-30', 1],
      ['LUM-MOIST-50', 1],
    ],
  },
  {
    sku: 'LUM-TRAVEL-MINIS',
    name: 'Travel Minis Kit',
    brand: 'Lumen Skincare',
    components: [
      ['LUM-CLEANSER-30', 1],
      ['LUM-MOIST-15', 1],
      ['LUM-SPF-15', 1],
      ['LUM-POUCH-CLEAR', 1],
    ],
  },
  {
    sku: 'LUM-PR-INFLUENCER',
    name: 'Influencer PR Box',
    brand: 'Lumen Skincare',
    components: [
      ['LUM-SERUM-VITC-30', 1],
      ['LUM-MASK-CLAY-75', 1],
      ['LUM-PR-CARD', 1],
      ['GIFTBOX-SM-WHT', 1],
    ],
  },
];

const NAME_SUFFIXES = [' - Reorder', ' - Rush', ' - Wave 2', ' - Spring', ' - Q4'];
const CAMPAIGNS = [
  'the new-member mailing',
  'the spring promotion',
  'the holiday campaign',
  'retail replenishment',
  'the trade-show booth',
  'subscription box fulfilment',
  'the influencer seeding list',
  'the employee recognition programme',
];
const INSTRUCTIONS = [
  'Insert the printed card on top before sealing.',
  'Shrink-wrap each kit; barcode label on the bottom flap.',
  'Pack 12 kits per master carton and palletise by destination.',
  'Use tamper-evident tape; hold finished kits for QA sign-off.',
  'Fragile components: wrap glass items before inserting.',
  'Kit in the order listed on the bill of materials.',
];
const CANCEL_REASONS = [
  'Client request: campaign postponed',
  'Component shortage at the fulfillment center',
  'Duplicate work order',
  'Artwork change requested by the client',
  'Quantity moved to a new work order',
];
const QUANTITIES = [250, 500, 750, 1000, 1500, 2000, 2500, 5000];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `YYYY-MM-DDThh:mm:ssZ`, as the document specifies. */
export function pbDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function seedWorkOrders(options: { seed: number; clientId: string; now: number }): PbWorkOrder[] {
  const rand = seededRandom(options.seed);
  const { clientId, now } = options;
  const between = (lo: number, hi: number) => lo + rand() * (hi - lo);
  const int = (lo: number, hi: number) => Math.floor(between(lo, hi + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(rand() * 10))).join('');
  const lot = () => `LOT#${digits(2)}-${digits(4)}-${digits(7)}`;
  const lots = (n: number) => Array.from({ length: n }, lot);

  // A sixth of the seed is recent, open work; the rest is spread over two years, so the default
  // six-month window (see routes.ts) hides most of it.
  const createTimes = Array.from({ length: WORK_ORDER_COUNT }, () =>
    Math.floor(now - (rand() < 1 / 6 ? between(4 * HOUR, 30 * DAY) : between(4 * HOUR, 730 * DAY))),
  ).sort((a, b) => a - b);

  const usedIds = new Set<string>();
  // PB numbers work orders after the client's id; 12 random digits keep the id at most 25 characters.
  const workOrderIdFor = () => {
    for (;;) {
      const id = `WO${clientId}A${digits(Math.max(6, Math.min(12, 22 - clientId.length)))}`;
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };

  let clientSeq = 280_000 + int(0, 999);
  return createTimes.map((created) => {
    clientSeq += int(1, 37);
    const kit = pick(KITS);
    const qty = pick(QUANTITIES);
    const ageDays = (now - created) / DAY;
    const pbCreated = Math.min(created + between(5 * MINUTE, 3 * HOUR), now - MINUTE);
    const requestedStart = created + between(1, 10) * DAY;
    const requestedCompletion = requestedStart + between(1, 7) * DAY;

    let status = pickStatus(ageDays, rand());
    // A kit can only have started once PB has the order; a very young order has not.
    const latest = now - 30 * MINUTE;
    const startAt = Math.min(Math.max(requestedStart + between(-1, 2) * DAY, pbCreated + 30 * MINUTE), latest);
    if (
      startAt < pbCreated + 30 * MINUTE &&
      (status === 'INPROGRESS' || status === 'COMPLETE' || status === 'CLOSED')
    ) {
      status = 'CREATED';
    }
    const completeAt = Math.min(startAt + between(0.3, 5) * DAY, latest);

    let updated = rand() < 0.3 ? Math.min(created + between(1 * HOUR, 2 * DAY), now - 2 * HOUR) : created;
    let pbUpdated = Math.max(pbCreated, updated + 2 * MINUTE);
    let startQuantity = 0;
    let completedQuantity = 0;
    let rejectedQuantity = 0;
    let scrappedQuantity = 0;
    let startDate: number | undefined;
    let completionDate: number | undefined;
    let cancelDate: number | undefined;
    let pbCancelDate: number | undefined;
    let cancelReason: string | undefined;

    const startPartly = () => {
      startDate = startAt;
      startQuantity = rand() < 0.7 ? qty : Math.round((qty * between(0.4, 0.9)) / 10) * 10;
      completedQuantity = Math.floor(startQuantity * between(0, 0.85));
      rejectedQuantity = Math.floor(completedQuantity * between(0, 0.02));
      scrappedQuantity = Math.floor(startQuantity * between(0, 0.01));
      pbUpdated = Math.max(pbUpdated, startAt + between(0, 1) * (latest - startAt));
    };

    switch (status) {
      case 'CREATED':
        break;
      case 'INPROGRESS':
        startPartly();
        break;
      case 'COMPLETE':
      case 'CLOSED': {
        startDate = startAt;
        completionDate = completeAt;
        startQuantity = qty;
        rejectedQuantity = Math.floor(qty * between(0, 0.015));
        scrappedQuantity = Math.floor(qty * between(0, 0.01));
        completedQuantity = qty - rejectedQuantity - scrappedQuantity;
        // Closing happens in PB's system some days after completion.
        const finishedAt =
          status === 'CLOSED' ? Math.min(completeAt + between(1, 14) * DAY, now - 10 * MINUTE) : completeAt;
        pbUpdated = Math.max(pbUpdated, finishedAt);
        break;
      }
      case 'CANCELED': {
        const started = startAt >= pbCreated + 30 * MINUTE && startAt < latest && rand() < 0.35;
        if (started) startPartly();
        const after = startDate ?? pbCreated;
        cancelDate = Math.min(after + between(1 * HOUR, 4 * DAY), now - 20 * MINUTE);
        pbCancelDate = Math.min(cancelDate + between(1 * MINUTE, 2 * HOUR), now - 10 * MINUTE);
        cancelReason = pick(CANCEL_REASONS);
        updated = cancelDate;
        pbUpdated = pbCancelDate;
        break;
      }
    }

    const suffix = rand() < 0.35 ? pick(NAME_SUFFIXES) : '';
    const workOrderName = (kit.name + suffix).length <= 30 ? kit.name + suffix : kit.name;
    const description = `Assemble ${qty.toLocaleString('en-US')} ${kit.name} units for ${pick(CAMPAIGNS)}. ${pick(INSTRUCTIONS)}`;

    const order: PbWorkOrder = {
      clientId,
      clientWorkOrderId: `W-${clientSeq}`,
      workOrderId: workOrderIdFor(),
      workOrderName,
      description,
      type: 'KIT',
      status,
      node: pick(NODES),
      createDate: pbDate(created),
      updateDate: pbDate(updated),
      pbCreateDate: pbDate(pbCreated),
      pbUpdateDate: pbDate(pbUpdated),
      sku: kit.sku,
      brand: kit.brand,
      workOrderQuantity: qty,
      priority: rand() < 0.25 ? 'PRIORITY' : 'STANDARD',
      requestedStartDate: pbDate(requestedStart),
      requestedCompletionDate: pbDate(requestedCompletion),
      startDate: startDate === undefined ? undefined : pbDate(startDate),
      completionDate: completionDate === undefined ? undefined : pbDate(completionDate),
      startQuantity,
      completedQuantity,
      // Lots are recorded for kits actually produced, and for child items actually issued.
      lotNumbers: completedQuantity > 0 ? lots(int(1, 3)) : [],
      rejectedQuantity,
      scrappedQuantity,
      workOrderLines: kit.components.map(([childSKU, perKit]) => ({
        childSKU,
        lotNumbers: startQuantity > 0 ? lots(int(1, 2)) : [],
        issuedQuantity: startQuantity * perKit,
      })),
      cancelDate: cancelDate === undefined ? undefined : pbDate(cancelDate),
      pbCancelDate: pbCancelDate === undefined ? undefined : pbDate(pbCancelDate),
      cancelReason,
    };
    // Fields that do not apply are left out, as in the document's examples, rather than sent as null.
    for (const key of Object.keys(order) as (keyof PbWorkOrder)[]) if (order[key] === undefined) delete order[key];
    return order;
  });
}

/** Young orders are mostly waiting or running; old ones mostly finished and closed. */
function pickStatus(ageDays: number, r: number): PbStatus {
  const table: [PbStatus, number][] =
    ageDays < 3
      ? [
          ['CREATED', 0.75],
          ['INPROGRESS', 0.15],
          ['CANCELED', 0.1],
        ]
      : ageDays < 20
        ? [
            ['CREATED', 0.3],
            ['INPROGRESS', 0.55],
            ['CANCELED', 0.15],
          ]
        : ageDays < 60
          ? [
              ['CREATED', 0.05],
              ['INPROGRESS', 0.15],
              ['COMPLETE', 0.55],
              ['CLOSED', 0.15],
              ['CANCELED', 0.1],
            ]
          : [
              ['COMPLETE', 0.15],
              ['CLOSED', 0.72],
              ['CANCELED', 0.13],
            ];
  let acc = 0;
  for (const [status, weight] of table) {
    acc += weight;
    if (r < acc) return status;
  }
  return table[table.length - 1]![0];
}
