/* hsa.h — the one check of an HSA-id, the national identifier of a care
 * unit (SE2321000032-ABC123), applied wherever a unit is given: the kiosk
 * config, rost-phone, rostctl calls, the call list and the store.  It only
 * checks the form; it does not look the id up in any catalogue. */
#ifndef HSA_H
#define HSA_H

#define HSA_EXAMPLE "SE2321000032-ABC123"

/* Is s an HSA-id: "SE", the 10 digits of an organisation number, "-",
 * then 1 to 26 capital letters A-Z or digits (the whole id fits the
 * store's unit column, STORE_UNIT_LEN)?  1 / 0; NULL is 0.  The
 * aggregator enrols units by the same rule. */
int hsa_valid(const char *s);

#endif
