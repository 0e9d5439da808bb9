/** SendMessagingTemplateRequest (approved WhatsApp/Open templates), as in the SDK typings. */
import * as z from 'zod';

export const templateParameterSchema = z.strictObject({
  id: z.string().optional(),
  value: z.string().optional(),
});

const templateParameters = z.array(templateParameterSchema).optional();

export const cardParametersSchema = z.strictObject({
  index: z.number().int().min(0).optional(),
  bodyParameters: templateParameters,
  buttonUrlParameters: templateParameters,
});

export const sendMessagingTemplateRequestSchema = z.strictObject({
  // Optional in the typings, but Genesys cannot send a template without naming the approved response.
  responseId: z.string().min(1),
  parameters: templateParameters,
  headerParameters: templateParameters,
  bodyParameters: templateParameters,
  buttonUrlParameters: templateParameters,
  carouselParameters: z.strictObject({ cardParameters: z.array(cardParametersSchema).optional() }).optional(),
});
