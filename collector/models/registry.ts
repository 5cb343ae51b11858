// Every model, in the catalogue order of DESIGN.md "The models". The test in
// test/models/catalogue.test.ts keeps this list and the folders in step.
import { consumptionSurge } from './consumption-surge/index.js';
import { dataGap } from './data-gap/index.js';
import { energyRatioDrop } from './energy-ratio-drop/index.js';
import { frequentCycling } from './frequent-cycling/index.js';
import { meterIntegrity } from './meter-integrity/index.js';
import type { Model } from './model.js';
import { nightProduction } from './night-production/index.js';
import { orderBreach } from './order-breach/index.js';
import { outOfSync } from './out-of-sync/index.js';
import { riskRanking } from './risk-ranking/index.js';
import { runtimeShort } from './runtime-short/index.js';
import { treatmentDegrading } from './treatment-degrading/index.js';
import { treatmentOff } from './treatment-off/index.js';
import { treatmentWeak } from './treatment-weak/index.js';

export const MODELS: readonly Model[] = [
  treatmentOff,
  outOfSync,
  treatmentWeak,
  frequentCycling,
  orderBreach,
  dataGap,
  meterIntegrity,
  runtimeShort,
  energyRatioDrop,
  nightProduction,
  consumptionSurge,
  treatmentDegrading,
  riskRanking,
];
