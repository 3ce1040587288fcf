export {
  addBusinessMinutes,
  businessMinutesBetween,
  isOpen,
  validateBusinessHours,
  InvalidBusinessHoursError,
  WEEKDAYS,
  type BusinessHours,
  type Weekday,
} from './business-hours';
export { validateSlaPolicy, type SlaPolicy } from './policy';
