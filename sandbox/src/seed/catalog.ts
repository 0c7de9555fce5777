import type { BuyingRole } from '@abm-pilot/shared';

import type { EngagementType } from './types.ts';
import { weightedTable } from './random.ts';

// The word lists and shares the generator draws from. Shares are rough orders of magnitude of a European
// B2B vendor's CRM, not statistics: enough for scoring, tiering and SLA logic to meet every case.

export const SEED_REGIONS = ['emea', 'north_america', 'apac', 'latam'] as const;
export type SeedRegion = (typeof SEED_REGIONS)[number];

export const SEED_INDUSTRIES = [
  'software',
  'financial_services',
  'manufacturing',
  'healthcare',
  'telecommunications',
  'retail',
  'energy',
  'education',
  'media',
  'logistics',
  'professional_services',
] as const;
export type SeedIndustry = (typeof SEED_INDUSTRIES)[number];

export const ENGAGEMENT_TYPES: readonly EngagementType[] = [
  'email_open',
  'email_click',
  'web_visit',
  'form_submit',
  'meeting',
  'call',
];

export const OWNER_TIMEZONES = [
  'Europe/Paris',
  'Europe/London',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Asia/Singapore',
  'Australia/Sydney',
] as const;

interface IndustryProfile {
  readonly industry: SeedIndustry;
  /** Median annual revenue per employee, in the CRM's currency. */
  readonly revenuePerEmployee: number;
  readonly nouns: readonly string[];
}

export const INDUSTRY_TABLE = weightedTable<IndustryProfile>([
  [
    {
      industry: 'software',
      revenuePerEmployee: 220_000,
      nouns: ['Systems', 'Software', 'Labs', 'Analytics', 'Cloud', 'Technologies', 'Data'],
    },
    18,
  ],
  [
    {
      industry: 'financial_services',
      revenuePerEmployee: 320_000,
      nouns: ['Capital', 'Financial', 'Bank', 'Insurance', 'Asset Management', 'Payments'],
    },
    12,
  ],
  [
    {
      industry: 'manufacturing',
      revenuePerEmployee: 250_000,
      nouns: ['Industries', 'Manufacturing', 'Components', 'Engineering', 'Machinery', 'Materials'],
    },
    14,
  ],
  [
    {
      industry: 'healthcare',
      revenuePerEmployee: 160_000,
      nouns: ['Health', 'Medical', 'Pharma', 'Biosciences', 'Care', 'Diagnostics'],
    },
    10,
  ],
  [
    {
      industry: 'telecommunications',
      revenuePerEmployee: 400_000,
      nouns: ['Telecom', 'Networks', 'Communications', 'Mobile', 'Connect'],
    },
    5,
  ],
  [
    {
      industry: 'retail',
      revenuePerEmployee: 180_000,
      nouns: ['Retail', 'Stores', 'Brands', 'Market', 'Outfitters', 'Goods'],
    },
    10,
  ],
  [
    {
      industry: 'energy',
      revenuePerEmployee: 600_000,
      nouns: ['Energy', 'Power', 'Renewables', 'Utilities', 'Resources'],
    },
    5,
  ],
  [
    {
      industry: 'education',
      revenuePerEmployee: 90_000,
      nouns: ['Learning', 'Academy', 'Education', 'Institute'],
    },
    6,
  ],
  [
    {
      industry: 'media',
      revenuePerEmployee: 210_000,
      nouns: ['Media', 'Studios', 'Publishing', 'Entertainment', 'Digital'],
    },
    6,
  ],
  [
    {
      industry: 'logistics',
      revenuePerEmployee: 200_000,
      nouns: ['Logistics', 'Freight', 'Transport', 'Shipping', 'Supply'],
    },
    8,
  ],
  [
    {
      industry: 'professional_services',
      revenuePerEmployee: 150_000,
      nouns: ['Consulting', 'Partners', 'Advisory', 'Group', 'Associates'],
    },
    6,
  ],
]);

interface CountryProfile {
  readonly country: string;
  readonly cities: readonly string[];
  readonly tld: string;
  /** Legal forms as written after a company name; '' leaves the name bare. */
  readonly legalForms: readonly string[];
}

interface RegionProfile {
  readonly region: SeedRegion;
  readonly label: string;
  readonly countries: ReturnType<typeof weightedTable<CountryProfile>>;
  /** Zones the region's sellers work in. */
  readonly timezones: readonly (typeof OWNER_TIMEZONES)[number][];
  readonly firstNames: readonly string[];
  readonly lastNames: readonly string[];
}

const country = (
  name: string,
  tld: string,
  legalForms: readonly string[],
  cities: readonly string[],
): CountryProfile => ({ country: name, tld, legalForms, cities });

const REGION_PROFILES: Readonly<Record<SeedRegion, RegionProfile>> = {
  north_america: {
    region: 'north_america',
    label: 'North America',
    countries: weightedTable([
      [
        country(
          'United States',
          'com',
          ['Inc.', 'LLC', 'Corp.', ''],
          [
            'New York',
            'San Francisco',
            'Chicago',
            'Austin',
            'Boston',
            'Seattle',
            'Atlanta',
            'Denver',
            'Los Angeles',
            'Dallas',
          ],
        ),
        85,
      ],
      [country('Canada', 'ca', ['Inc.', 'Ltd.', ''], ['Toronto', 'Vancouver', 'Montreal', 'Calgary']), 15],
    ]),
    timezones: ['America/New_York', 'America/Chicago', 'America/Los_Angeles'],
    firstNames: [
      'James',
      'Emily',
      'Michael',
      'Sarah',
      'David',
      'Jessica',
      'Daniel',
      'Ashley',
      'Ryan',
      'Megan',
      'Kevin',
      'Lauren',
      'Brian',
      'Rachel',
      'Jason',
      'Olivia',
      'Tyler',
      'Hannah',
      'Marcus',
      'Grace',
    ],
    lastNames: [
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Miller',
      'Davis',
      'Wilson',
      'Anderson',
      'Taylor',
      'Thomas',
      'Moore',
      'Jackson',
      'Martin',
      'Thompson',
      'White',
      'Harris',
      'Clark',
      'Lewis',
      'Walker',
      'Young',
    ],
  },
  emea: {
    region: 'emea',
    label: 'EMEA',
    countries: weightedTable([
      [
        country(
          'United Kingdom',
          'co.uk',
          ['Ltd', 'plc', ''],
          ['London', 'Manchester', 'Edinburgh', 'Bristol', 'Leeds'],
        ),
        25,
      ],
      [
        country(
          'Germany',
          'de',
          ['GmbH', 'AG', ''],
          ['Berlin', 'Munich', 'Hamburg', 'Frankfurt', 'Stuttgart'],
        ),
        22,
      ],
      [country('France', 'fr', ['SAS', 'SA', ''], ['Paris', 'Lyon', 'Toulouse', 'Nantes', 'Lille']), 20],
      [
        country(
          'Netherlands',
          'nl',
          ['B.V.', 'N.V.', ''],
          ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven'],
        ),
        8,
      ],
      [country('Spain', 'es', ['S.L.', 'S.A.', ''], ['Madrid', 'Barcelona', 'Valencia']), 7],
      [country('Italy', 'it', ['S.p.A.', 'S.r.l.', ''], ['Milan', 'Rome', 'Turin']), 6],
      [country('Sweden', 'se', ['AB', ''], ['Stockholm', 'Gothenburg']), 4],
      [country('Switzerland', 'ch', ['AG', 'SA', ''], ['Zurich', 'Geneva', 'Basel']), 4],
      [country('United Arab Emirates', 'ae', ['LLC', 'FZ-LLC', ''], ['Dubai', 'Abu Dhabi']), 2],
      [country('South Africa', 'co.za', ['(Pty) Ltd', ''], ['Johannesburg', 'Cape Town']), 2],
    ]),
    timezones: ['Europe/Paris', 'Europe/London'],
    firstNames: [
      'Camille',
      'Lucas',
      'Sophie',
      'Thomas',
      'Emma',
      'Julien',
      'Hannah',
      'Maximilian',
      'Charlotte',
      'Oliver',
      'Léa',
      'Matteo',
      'Sofia',
      'Lars',
      'Elena',
      'Pieter',
      'Chloé',
      'Jonas',
      'Isabel',
      'Amélie',
    ],
    lastNames: [
      'Martin',
      'Bernard',
      'Dubois',
      'Müller',
      'Schmidt',
      'Schneider',
      'Smith',
      'Jones',
      'Evans',
      'García',
      'Fernández',
      'Rossi',
      'Bianchi',
      'de Vries',
      'Jansen',
      'Andersson',
      'Lefèvre',
      'Fischer',
      'Moreau',
      'Wright',
    ],
  },
  apac: {
    region: 'apac',
    label: 'APAC',
    countries: weightedTable([
      [
        country('Australia', 'com.au', ['Pty Ltd', 'Ltd', ''], ['Sydney', 'Melbourne', 'Brisbane', 'Perth']),
        25,
      ],
      [country('Singapore', 'sg', ['Pte. Ltd.', ''], ['Singapore']), 15],
      [country('Japan', 'jp', ['K.K.', ''], ['Tokyo', 'Osaka', 'Yokohama']), 25],
      [country('India', 'in', ['Pvt. Ltd.', 'Ltd.', ''], ['Bengaluru', 'Mumbai', 'Hyderabad', 'Pune']), 25],
      [country('South Korea', 'kr', ['Co., Ltd.', ''], ['Seoul', 'Busan']), 10],
    ]),
    timezones: ['Asia/Singapore', 'Australia/Sydney'],
    firstNames: [
      'Wei',
      'Mei',
      'Hiroshi',
      'Yuki',
      'Arjun',
      'Priya',
      'Min-jun',
      'Ji-woo',
      'Liam',
      'Chloe',
      'Rahul',
      'Ananya',
      'Kenji',
      'Aiko',
      'Jun',
      'Siti',
      'Ethan',
      'Isla',
      'Vikram',
      'Li',
    ],
    lastNames: [
      'Tan',
      'Lim',
      'Wong',
      'Sato',
      'Suzuki',
      'Takahashi',
      'Sharma',
      'Patel',
      'Gupta',
      'Kim',
      'Lee',
      'Park',
      'Nguyen',
      'Chen',
      'Wang',
      'Kumar',
      'Mitchell',
      'Campbell',
      'Singh',
      'Tanaka',
    ],
  },
  latam: {
    region: 'latam',
    label: 'LATAM',
    countries: weightedTable([
      [
        country(
          'Brazil',
          'com.br',
          ['Ltda.', 'S.A.', ''],
          ['São Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba'],
        ),
        45,
      ],
      [country('Mexico', 'com.mx', ['S.A. de C.V.', ''], ['Mexico City', 'Monterrey', 'Guadalajara']), 30],
      [country('Argentina', 'com.ar', ['S.A.', 'S.R.L.', ''], ['Buenos Aires', 'Córdoba']), 10],
      [country('Chile', 'cl', ['SpA', 'S.A.', ''], ['Santiago']), 8],
      [country('Colombia', 'com.co', ['S.A.S.', ''], ['Bogotá', 'Medellín']), 7],
    ]),
    // LATAM is usually covered from the Americas' Eastern and Central time.
    timezones: ['America/New_York', 'America/Chicago'],
    firstNames: [
      'João',
      'Maria',
      'Pedro',
      'Ana',
      'Lucas',
      'Juliana',
      'Carlos',
      'Fernanda',
      'Diego',
      'Valentina',
      'Mateo',
      'Camila',
      'Santiago',
      'Gabriela',
      'Rafael',
      'Isabela',
      'Andrés',
      'Lucía',
      'Felipe',
      'Mariana',
    ],
    lastNames: [
      'Silva',
      'Santos',
      'Oliveira',
      'Souza',
      'Pereira',
      'González',
      'Rodríguez',
      'Hernández',
      'López',
      'Martínez',
      'Pérez',
      'Sánchez',
      'Ramírez',
      'Torres',
      'Costa',
      'Gómez',
      'Díaz',
      'Rocha',
      'Alves',
      'Castro',
    ],
  },
};

export const regionProfile = (region: SeedRegion): RegionProfile => REGION_PROFILES[region];

/** North America and EMEA carry most of a European vendor's book. */
export const REGION_TABLE = weightedTable<RegionProfile>([
  [REGION_PROFILES.north_america, 38],
  [REGION_PROFILES.emea, 40],
  [REGION_PROFILES.apac, 14],
  [REGION_PROFILES.latam, 8],
]);

export const NAME_PREFIXES: readonly string[] = [
  'North',
  'Blue',
  'Silver',
  'Bright',
  'Apex',
  'Nova',
  'Terra',
  'Quantum',
  'Iron',
  'Clear',
  'True',
  'Red',
  'Green',
  'Sky',
  'Stone',
  'Summit',
  'Pioneer',
  'Vertex',
  'Atlas',
  'Orion',
  'Cedar',
  'Harbor',
  'Crest',
  'Polar',
  'Swift',
  'Golden',
  'Lumen',
  'Delta',
  'Evergreen',
  'Falcon',
  'Granite',
  'Horizon',
  'Keystone',
  'Maple',
  'Meridian',
  'Oak',
  'Pacific',
  'Prime',
  'Rapid',
  'Sterling',
  'Sun',
  'Tidal',
  'Union',
  'Vista',
  'West',
  'Zenith',
  'Alder',
  'Beacon',
];

export const NAME_CORES: readonly string[] = [
  'wind',
  'bridge',
  'field',
  'gate',
  'point',
  'wave',
  'line',
  'path',
  'stone',
  'works',
  'leaf',
  'peak',
  'ridge',
  'forge',
  'light',
  'star',
  'view',
  'port',
  'mark',
  'wood',
  'brook',
  'core',
  'shift',
  'bay',
  'crest',
  'vale',
];

export const FOUNDER_NAMES: readonly string[] = [
  'Keller',
  'Morgan',
  'Hale',
  'Becker',
  'Laurent',
  'Foster',
  'Ward',
  'Vogel',
  'Marchetti',
  'Lindqvist',
  'Okafor',
  'Takeda',
  'Moreno',
  'Hartmann',
  'Sinclair',
  'Duval',
  'Brennan',
  'Castell',
  'Novak',
  'Whitfield',
];

export const DEAL_PRODUCTS: readonly string[] = [
  'Platform licence',
  'Expansion',
  'Renewal',
  'Pilot',
  'Professional services',
  'Enterprise upgrade',
  'New business',
  'Additional seats',
];

/** Rough share of buying roles among the contacts a seller has in the CRM; `null` is "not set". */
export const BUYING_ROLE_TABLE = weightedTable<BuyingRole | null>([
  [null, 30],
  ['decision_maker', 12],
  ['champion', 12],
  ['budget_holder', 8],
  ['executive_sponsor', 5],
  ['influencer', 13],
  ['end_user', 12],
  ['legal_and_compliance', 3],
  ['blocker', 3],
  ['other', 2],
]);

export const JOB_TITLES: Readonly<Record<BuyingRole | 'none', readonly string[]>> = {
  decision_maker: [
    'VP of Engineering',
    'Chief Technology Officer',
    'Head of Operations',
    'Chief Information Officer',
  ],
  champion: [
    'Director of IT',
    'Senior Manager, Digital',
    'Head of Marketing Operations',
    'Engineering Manager',
  ],
  budget_holder: ['Chief Financial Officer', 'VP Finance', 'Procurement Director', 'Finance Director'],
  executive_sponsor: ['Chief Executive Officer', 'Chief Operating Officer', 'Managing Director'],
  influencer: ['Solutions Architect', 'Product Manager', 'Lead Data Engineer', 'Business Analyst'],
  end_user: ['Analyst', 'Software Engineer', 'Operations Specialist', 'Account Executive'],
  legal_and_compliance: ['General Counsel', 'Compliance Officer', 'Data Protection Officer'],
  blocker: ['IT Security Manager', 'Head of Procurement'],
  other: ['Office Manager', 'Executive Assistant'],
  none: ['Manager', 'Consultant', 'Project Manager', 'Team Lead', 'Specialist', 'Coordinator'],
};

export const ENGAGEMENT_TABLE = weightedTable<EngagementType>([
  ['email_open', 35],
  ['web_visit', 25],
  ['email_click', 15],
  ['call', 10],
  ['meeting', 8],
  ['form_submit', 7],
]);

const slugs = new Map<string, string>();

/** Lower-case ASCII letters and digits only, for e-mail addresses and domains; memoised, the inputs are few. */
export function asciiSlug(text: string): string {
  let slug = slugs.get(text);
  if (slug === undefined) {
    slug = text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '');
    slugs.set(text, slug);
  }
  return slug;
}
