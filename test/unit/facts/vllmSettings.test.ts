// model_args → the engine settings the memory model takes, as lm-eval's vllm backend maps them.
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argsByKey, kvConnectorName, vllmSettingsFromArgs } from '../../../server/src/facts/vllmSettings';
import { lookupArchitecture } from '../../../server/src/memory/architectures';
import { estimateVllmMemory, KV_CONNECTOR_ERROR_BAND } from '../../../server/src/memory/estimate';
import { resolveGpu } from '../../../server/src/memory/gpus';
import { parseVllmVersion } from '../../../server/src/memory/version';
import { identityMapped } from '../../../server/src/parse/mappedText';
import { parseModelArgs } from '../../../server/src/parse/modelArgs';

const settings = (text: string) => vllmSettingsFromArgs(argsByKey(parseModelArgs(identityMapped(text), 'cli').args));

describe('vllmSettingsFromArgs', () => {
  it('maps lm-eval’s own names and the last occurrence wins', () => {
    assert.deepEqual(
      settings(
        'pretrained=x,max_length=4096,max_batch_size=64,tensor_parallel_size=2,tensor_parallel_size=4,enforce_eager=True',
      ),
      {
        maxModelLen: 4096,
        maxNumSeqs: 64,
        tensorParallelSize: 4,
        enforceEager: true,
      },
    );
    assert.equal(settings('max_model_len=2048,max_length=4096').maxModelLen, 2048);
  });
  it('reads the KV connector of kv_transfer_config in the JSON form and as JSON text', () => {
    const json =
      '{"pretrained": "x", "kv_transfer_config": {"kv_connector": "LMCacheConnectorV1", "kv_role": "kv_both"}}';
    assert.equal(settings(json).kvConnector, 'LMCacheConnectorV1');
    assert.equal(kvConnectorName('{"kv_connector":"NixlConnector"}'), 'NixlConnector');
    assert.equal(kvConnectorName('not json'), 'unnamed');
    assert.equal(kvConnectorName(''), undefined);
    assert.equal(kvConnectorName('None'), undefined);
    assert.equal(settings('pretrained=x,kv_transfer_config=None').kvConnector, undefined);
    assert.equal(kvConnectorName(7), undefined);
    assert.equal(settings('pretrained=x').kvConnector, undefined);
  });
});

describe('a KV connector in the estimate', () => {
  it('is named in the assumptions and widens the KV error band', () => {
    const input = (kvConnector?: string) => ({
      architecture: lookupArchitecture('meta-llama/Llama-3.1-8B-Instruct')!,
      gpu: resolveGpu('H100-80GB')!,
      settings: kvConnector ? { maxModelLen: 8192, kvConnector } : { maxModelLen: 8192 },
      workload: { outputTypes: [] },
      version: parseVllmVersion('0.10.0')!,
    });
    const plain = estimateVllmMemory(input());
    const connected = estimateVllmMemory(input('LMCacheConnectorV1'));
    // The connector adds ±20 % of the KV cache to the measured band.
    assert.ok(plain.errorBand < KV_CONNECTOR_ERROR_BAND);
    assert.ok(Math.abs(connected.errorBand - plain.errorBand - KV_CONNECTOR_ERROR_BAND) < 1e-9);
    assert.equal(connected.kvCacheTokens, plain.kvCacheTokens, 'the point estimate is unchanged');
    assert.ok(connected.assumptions.some((a) => a.startsWith('KV connector LMCacheConnectorV1')));
  });
});
