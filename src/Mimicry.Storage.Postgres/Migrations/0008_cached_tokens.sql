-- Mimicry schema 8: of each day's and entry's input tokens, those the model server served from its prompt cache
-- (usage.prompt_tokens_details.cached_tokens), priced at prices.cachedInput.
ALTER TABLE mimicry_days ADD COLUMN cached_input_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE mimicry_entries ADD COLUMN cached_input_tokens integer NOT NULL DEFAULT 0;
