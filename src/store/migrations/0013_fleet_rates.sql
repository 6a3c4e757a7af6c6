-- A fleet's generation rates (share of premises with no WAN, intermittent WAN, prepayment, gas),
-- where they differ from the simulation's defaults: the seed alone regenerates a fleet only with
-- the rates it was generated with. NULL means the default.
ALTER TABLE sim_fleets
  ADD COLUMN no_wan_rate double precision CHECK (no_wan_rate >= 0 AND no_wan_rate <= 1),
  ADD COLUMN intermittent_wan_rate double precision CHECK (intermittent_wan_rate >= 0 AND intermittent_wan_rate <= 1),
  ADD COLUMN prepayment_rate double precision CHECK (prepayment_rate >= 0 AND prepayment_rate <= 1),
  ADD COLUMN gas_rate double precision CHECK (gas_rate >= 0 AND gas_rate <= 1);
