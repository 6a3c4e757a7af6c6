import { PAYMENT_CLASSES } from './cosem-payment-classes.ts';
import { SCALER_UNIT, type DataSchema } from './dlms-data.ts';

/**
 * COSEM interface classes as the DLMS Blue Book defines them: names, attribute and method names,
 * and the shape of the values where the class fixes it. Attribute 1 is always logical_name.
 * Only the classes GBCS ESMEs expose are listed; others read as "class N".
 */
export interface CosemClass {
  readonly name: string;
  readonly attributes: readonly string[];
  readonly methods?: readonly string[];
  readonly schemas?: Readonly<Record<number, DataSchema>>;
  readonly methodSchemas?: Readonly<Record<number, DataSchema>>;
}

const obis = (name: string): DataSchema => ({ name, as: 'obis' });
const dateTime = (name: string): DataSchema => ({ name, as: 'date-time' });
/** A COSEM object reference as capture objects and object lists carry it. */
const CAPTURE_OBJECT: DataSchema = { name: 'capture object', members: [{ name: 'class_id' }, obis('logical_name'), { name: 'attribute_index' }, { name: 'data_index' }] };
/**
 * A profile buffer row: the capture time first (seconds since 2000-01-01 in the RTDS, which the
 * values fit: 2014-12-31 to 2015-01-01), then the values of the profile's capture objects, which
 * the payload does not name. Found from the RTDS rows and gbcs-payloads.md section 4.3.
 */
export const CAPTURE_ROW: DataSchema = {
  name: 'entry',
  row: (n) => [{ name: 'capture time', as: 'utc' }, ...Array.from({ length: n - 1 }, (_, i) => ({ name: `captured value ${i + 1}` }))],
};
const SCRIPT: DataSchema = { name: 'action', members: [obis('script_logical_name'), { name: 'script_selector' }] };
const DAY_PROFILE_ACTION: DataSchema = { name: 'day profile action', members: [{ name: 'start_time', as: 'time' }, obis('script_logical_name'), { name: 'script_selector' }] };

export const PROTECTION_PARAMETERS: DataSchema = {
  name: 'protection parameters',
  members: [
    { name: 'protection_type' },
    {
      name: 'protection_options',
      members: [
        { name: 'transaction_id' },
        { name: 'originator_system_title', as: 'eui' },
        { name: 'recipient_system_title', as: 'eui' },
        { name: 'other_information' },
        {
          name: 'key_info',
          members: [
            { name: 'key_info_type', values: { 0: 'identified key', 1: 'wrapped key', 2: 'agreed key' } },
            { name: 'key_info_options', members: [{ name: 'key_parameters' }, { name: 'key_ciphered_data' }] },
          ],
        },
      ],
    },
  ],
};
const PROTECTED_OBJECT: DataSchema = {
  name: 'protected object',
  members: [
    { name: 'class_id' },
    obis('logical_name'),
    { name: 'attribute_index' },
    { name: 'data_index' },
    {
      // Blue Book, Data protection: restriction_type (0) none, (1) by date, (2) by entry; the value is then
      // null-data, date_restriction { from_date, to_date } (date-times) or entry_restriction { from_entry, to_entry }.
      name: 'restriction',
      members: [
        { name: 'restriction_type', values: { 0: 'none', 1: 'by date', 2: 'by entry' } },
        {
          name: 'restriction_value',
          members: [
            { name: 'from (from_date or from_entry)', as: 'date-time' },
            { name: 'to (to_date or to_entry)', as: 'date-time' },
          ],
        },
      ],
    },
  ],
};

export const COSEM_CLASSES: ReadonlyMap<number, CosemClass> = new Map<number, CosemClass>([
  [1, { name: 'Data', attributes: ['logical_name', 'value'] }],
  [3, { name: 'Register', attributes: ['logical_name', 'value', 'scaler_unit'], methods: ['reset'], schemas: { 3: SCALER_UNIT } }],
  [
    4,
    {
      name: 'Extended register',
      attributes: ['logical_name', 'value', 'scaler_unit', 'status', 'capture_time'],
      methods: ['reset'],
      schemas: { 3: SCALER_UNIT, 5: dateTime('capture_time') },
    },
  ],
  [
    5,
    {
      name: 'Demand register',
      attributes: ['logical_name', 'current_average_value', 'last_average_value', 'scaler_unit', 'status', 'capture_time', 'start_time_current', 'period', 'number_of_periods'],
      methods: ['reset', 'next_period'],
      schemas: { 4: SCALER_UNIT, 6: dateTime('capture_time'), 7: dateTime('start_time_current') },
    },
  ],
  [6, { name: 'Register activation', attributes: ['logical_name', 'register_assignment', 'mask_list', 'active_mask'], methods: ['add_register', 'add_mask', 'delete_mask'] }],
  [
    7,
    {
      name: 'Profile generic',
      attributes: ['logical_name', 'buffer', 'capture_objects', 'capture_period', 'sort_method', 'sort_object', 'entries_in_use', 'profile_entries'],
      methods: ['reset', 'capture'],
      schemas: { 2: { name: 'buffer', each: CAPTURE_ROW }, 3: { name: 'capture_objects', each: CAPTURE_OBJECT }, 6: CAPTURE_OBJECT },
    },
  ],
  [
    8,
    {
      name: 'Clock',
      attributes: [
        'logical_name',
        'time',
        'time_zone',
        'status',
        'daylight_savings_begin',
        'daylight_savings_end',
        'daylight_savings_deviation',
        'daylight_savings_enabled',
        'clock_base',
      ],
      methods: ['adjust_to_quarter', 'adjust_to_measuring_period', 'adjust_to_minute', 'adjust_to_preset_time', 'preset_adjusting_time', 'shift_time'],
      schemas: { 2: dateTime('time'), 5: dateTime('daylight_savings_begin'), 6: dateTime('daylight_savings_end') },
      // Blue Book: preset_adjusting_time (data) ::= structure { preset_time, validity_interval_start, validity_interval_end }.
      methodSchemas: {
        5: { name: 'preset_adjusting_time', members: [dateTime('preset_time'), dateTime('validity_interval_start'), dateTime('validity_interval_end')] },
      },
    },
  ],
  [9, { name: 'Script table', attributes: ['logical_name', 'scripts'], methods: ['execute'], methodSchemas: { 1: { name: 'script_identifier' } } }],
  [
    10,
    {
      name: 'Schedule',
      attributes: ['logical_name', 'entries'],
      methods: ['enable_disable', 'insert', 'delete'],
      schemas: {
        2: {
          name: 'entries',
          each: {
            name: 'schedule entry',
            members: [
              { name: 'index' },
              { name: 'enable' },
              obis('script_logical_name'),
              { name: 'script_selector' },
              { name: 'switch_time', as: 'time' },
              { name: 'validity_window' },
              { name: 'exec_weekdays' },
              { name: 'exec_specdays' },
              { name: 'begin_date', as: 'date' },
              { name: 'end_date', as: 'date' },
            ],
          },
        },
      },
    },
  ],
  [
    11,
    {
      name: 'Special days table',
      attributes: ['logical_name', 'entries'],
      methods: ['insert', 'delete'],
      schemas: { 2: { name: 'entries', each: { name: 'special day', members: [{ name: 'index' }, { name: 'specialday_date', as: 'date' }, { name: 'day_id' }] } } },
      methodSchemas: { 1: { name: 'special day', members: [{ name: 'index' }, { name: 'specialday_date', as: 'date' }, { name: 'day_id' }] }, 2: { name: 'index' } },
    },
  ],
  [
    15,
    {
      name: 'Association LN',
      attributes: [
        'logical_name',
        'object_list',
        'associated_partners_id',
        'application_context_name',
        'xDLMS_context_info',
        'authentication_mechanism_name',
        'secret',
        'association_status',
        'security_setup_reference',
        'user_list',
        'current_user',
      ],
    },
  ],
  [
    18,
    {
      name: 'Image transfer',
      attributes: [
        'logical_name',
        'image_block_size',
        'image_transferred_blocks_status',
        'image_first_not_transferred_block_number',
        'image_transfer_enabled',
        'image_transfer_status',
        'image_to_activate_info',
      ],
      methods: ['image_transfer_initiate', 'image_block_transfer', 'image_verify', 'image_activate'],
    },
  ],
  [
    20,
    {
      name: 'Activity calendar',
      attributes: [
        'logical_name',
        'calendar_name_active',
        'season_profile_active',
        'week_profile_table_active',
        'day_profile_table_active',
        'calendar_name_passive',
        'season_profile_passive',
        'week_profile_table_passive',
        'day_profile_table_passive',
        'activate_passive_calendar_time',
      ],
      methods: ['activate_passive_calendar'],
      schemas: Object.fromEntries(
        [2, 6]
          .flatMap((o) => [
            [o + 0, { name: o === 2 ? 'calendar_name_active' : 'calendar_name_passive' }],
            [
              o + 1,
              { name: 'season_profile', each: { name: 'season', members: [{ name: 'season_profile_name' }, { name: 'season_start', as: 'date-time' }, { name: 'week_name' }] } },
            ],
            [
              o + 2,
              {
                name: 'week_profile_table',
                each: {
                  name: 'week profile',
                  members: [{ name: 'week_profile_name' }, ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map((d) => ({ name: d }))],
                },
              },
            ],
            [o + 3, { name: 'day_profile_table', each: { name: 'day profile', members: [{ name: 'day_id' }, { name: 'day_schedule', each: DAY_PROFILE_ACTION }] } }],
          ])
          .concat([[10, dateTime('activate_passive_calendar_time')]]),
      ) as Record<number, DataSchema>,
    },
  ],
  [
    21,
    {
      name: 'Register monitor',
      attributes: ['logical_name', 'thresholds', 'monitored_value', 'actions'],
      schemas: {
        2: { name: 'thresholds', each: { name: 'threshold' } },
        3: { name: 'monitored_value', members: [{ name: 'class_id' }, obis('logical_name'), { name: 'attribute_index' }] },
        4: {
          name: 'actions',
          each: {
            name: 'action set',
            members: [
              { ...SCRIPT, name: 'action_up' },
              { ...SCRIPT, name: 'action_down' },
            ],
          },
        },
      },
    },
  ],
  [
    22,
    {
      name: 'Single action schedule',
      attributes: ['logical_name', 'executed_script', 'type', 'execution_time'],
      schemas: {
        2: SCRIPT,
        4: {
          name: 'execution_time',
          each: {
            name: 'execution',
            members: [
              { name: 'time', as: 'time' },
              { name: 'date', as: 'date' },
            ],
          },
        },
      },
    },
  ],
  [23, { name: 'IEC HDLC setup', attributes: ['logical_name'] }],
  [
    30,
    {
      name: 'Data protection',
      attributes: ['logical_name', 'protection_buffer', 'protection_object_list', 'protection_parameters_get', 'protection_parameters_set', 'required_protection'],
      methods: ['get_protected_attributes', 'set_protected_attributes', 'invoke_protected_method'],
      methodSchemas: {
        1: {
          name: 'get request',
          members: [
            { name: 'object_list', each: PROTECTED_OBJECT },
            { name: 'get_protection_parameters', each: PROTECTION_PARAMETERS },
          ],
        },
      },
    },
  ],
  [
    40,
    {
      name: 'Push setup',
      attributes: [
        'logical_name',
        'push_object_list',
        'send_destination_and_method',
        'communication_window',
        'randomisation_start_interval',
        'number_of_retries',
        'repetition_delay',
      ],
      methods: ['push'],
    },
  ],
  [63, { name: 'Status mapping', attributes: ['logical_name', 'status_word', 'mapping_table'] }],
  [
    64,
    {
      name: 'Security setup',
      attributes: ['logical_name', 'security_policy', 'security_suite', 'client_system_title', 'server_system_title', 'certificates'],
      methods: [
        'security_activate',
        'key_transfer',
        'key_agreement',
        'generate_key_pair',
        'generate_certificate_request',
        'import_certificate',
        'export_certificate',
        'remove_certificate',
      ],
    },
  ],
  [
    70,
    {
      name: 'Disconnect control',
      attributes: ['logical_name', 'output_state', 'control_state', 'control_mode'],
      methods: ['remote_disconnect', 'remote_reconnect'],
      schemas: { 3: { name: 'control_state', values: { 0: 'disconnected', 1: 'connected', 2: 'ready_for_reconnection' } } },
    },
  ],
  [
    71,
    {
      name: 'Limiter',
      attributes: [
        'logical_name',
        'monitored_value',
        'threshold_active',
        'threshold_normal',
        'threshold_emergency',
        'min_over_threshold_duration',
        'min_under_threshold_duration',
        'emergency_profile',
        'emergency_profile_group_id_list',
        'emergency_profile_active',
        'actions',
      ],
    },
  ],
  ...PAYMENT_CLASSES,
]);

const LOGICAL_NAME = obis('logical_name');

export function className(classId: number): string {
  return COSEM_CLASSES.get(classId)?.name ?? `class ${classId}`;
}

export function attributeName(classId: number, attribute: number): string | undefined {
  return COSEM_CLASSES.get(classId)?.attributes[attribute - 1];
}

export function methodName(classId: number, method: number): string | undefined {
  return COSEM_CLASSES.get(classId)?.methods?.[method - 1];
}

export function classAttributeSchema(classId: number, attribute: number): DataSchema | undefined {
  if (attribute === 1) return LOGICAL_NAME;
  return COSEM_CLASSES.get(classId)?.schemas?.[attribute];
}

export function classMethodSchema(classId: number, method: number): DataSchema | undefined {
  return COSEM_CLASSES.get(classId)?.methodSchemas?.[method];
}
