/** Bulk status read body: an array of at most 1000 Genesys message ids. */
import * as z from 'zod';
import { BULK_STATUS_MAX_IDS } from '../../../shared/genesys/endpoints';

export const bulkMessageIdsSchema = z.array(z.string().min(1)).max(BULK_STATUS_MAX_IDS);
