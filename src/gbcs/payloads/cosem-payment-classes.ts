import type { DataSchema } from './dlms-data.ts';
import type { CosemClass } from './cosem-classes.ts';

/**
 * The Blue Book's payment metering classes (Account, Credit, Charge, Token gateway) as GBCS
 * ESMEs expose them for prepayment and tariffs: kept apart from the other classes (cosem-classes.ts)
 * to keep each file to one family.
 */

// Local helpers: importing cosem-classes.ts's would run them before that module has defined them.
const obis = (name: string): DataSchema => ({ name, as: 'obis' });
const dateTime = (name: string): DataSchema => ({ name, as: 'date-time' });

/** Charge (class 113) unit_charge: scaling, the commodity charged for, and the price per tariff index. */
const UNIT_CHARGE: DataSchema = {
  name: 'unit_charge',
  members: [
    { name: 'charge_per_unit_scaling', members: [{ name: 'commodity_scale' }, { name: 'price_scale' }] },
    { name: 'commodity', members: [{ name: 'class_id' }, obis('logical_name'), { name: 'attribute_index' }] },
    { name: 'charge_table', each: { name: 'charge table element', members: [{ name: 'index' }, { name: 'charge_per_unit' }] } },
  ],
};

export const PAYMENT_CLASSES: ReadonlyArray<readonly [number, CosemClass]> = [
  [
    111,
    {
      name: 'Account',
      attributes: [
        'logical_name',
        'account_mode_and_status',
        'current_credit_in_use',
        'current_credit_status',
        'available_credit',
        'amount_to_clear',
        'clearance_threshold',
        'aggregated_debt',
        'credit_reference_list',
        'charge_reference_list',
        'credit_charge_configuration',
        'token_gateway_configuration',
        'account_activation_time',
        'account_closure_time',
        'currency',
        'low_credit_threshold',
        'next_credit_available_threshold',
        'max_provision',
        'max_provision_period',
      ],
      methods: ['activate_account', 'close_account', 'reset_account'],
      schemas: {
        2: {
          name: 'account_mode_and_status',
          members: [
            { name: 'account_mode', values: { 1: 'credit mode', 2: 'prepayment mode' } },
            { name: 'account_status', values: { 1: 'new (inactive) account', 2: 'account active', 3: 'account closed' } },
          ],
        },
        9: { name: 'credit_reference_list', each: obis('credit_reference') },
        10: { name: 'charge_reference_list', each: obis('charge_reference') },
        11: {
          name: 'credit_charge_configuration',
          each: { name: 'credit charge configuration', members: [obis('credit_reference'), obis('charge_reference'), { name: 'collection_configuration' }] },
        },
        12: { name: 'token_gateway_configuration', each: { name: 'token gateway configuration', members: [obis('credit_reference'), { name: 'token_proportion' }] } },
        13: dateTime('account_activation_time'),
        14: dateTime('account_closure_time'),
        15: { name: 'currency', members: [{ name: 'currency_name' }, { name: 'currency_scale' }, { name: 'currency_unit' }] },
      },
    },
  ],
  [
    112,
    {
      name: 'Credit',
      attributes: [
        'logical_name',
        'current_credit_amount',
        'credit_type',
        'priority',
        'warning_threshold',
        'limit',
        'credit_configuration',
        'credit_status',
        'preset_credit_amount',
        'credit_available_threshold',
        'period',
      ],
      methods: ['update_amount', 'set_amount_to_value', 'invoke_credit'],
    },
  ],
  [
    113,
    {
      name: 'Charge',
      attributes: [
        'logical_name',
        'total_amount_paid',
        'charge_type',
        'priority',
        'unit_charge_active',
        'unit_charge_passive',
        'unit_charge_activation_time',
        'period',
        'charge_configuration',
        'last_collection_time',
        'last_collection_amount',
        'total_amount_remaining',
        'proportion',
      ],
      methods: ['update_unit_charge', 'activate_passive_unit_charge', 'collect', 'update_total_amount_remaining', 'set_total_amount_remaining'],
      schemas: {
        5: { ...UNIT_CHARGE, name: 'unit_charge_active' },
        6: { ...UNIT_CHARGE, name: 'unit_charge_passive' },
        7: dateTime('unit_charge_activation_time'),
        10: dateTime('last_collection_time'),
      },
    },
  ],
  [
    115,
    {
      name: 'Token gateway',
      attributes: ['logical_name', 'token', 'token_time', 'token_description', 'token_delivery_method', 'token_status'],
      methods: ['enter'],
      methodSchemas: { 1: { name: 'token (UTRN)', as: 'ascii' } },
    },
  ],
];
