import { Button, Card, Group, Image, Stack, Text, Title } from '@mantine/core';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { ReturnLine } from './types.ts';
import './print.css';

/** The device's label: its EUI as a QR code, with what the bench found; printed alone (print.css). */
export function DeviceLabel({ line }: { line: ReturnLine }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(line.deviceEui, { errorCorrectionLevel: 'M', margin: 1, width: 160 }).then((url) => live && setQr(url));
    return () => {
      live = false;
    };
  }, [line.deviceEui]);
  return (
    <Card withBorder component="section" aria-labelledby="label-title">
      <Group justify="space-between" className="no-print">
        <Title order={3} size="h4" id="label-title">
          Label
        </Title>
        <Button variant="default" onClick={() => window.print()}>
          Print label
        </Button>
      </Group>
      <div className="print-label" data-testid="label">
        <Group align="center" mt="xs">
          {qr && <Image src={qr} alt={`QR code of EUI ${line.deviceEui}`} w={160} h={160} />}
          <Stack gap={2}>
            <Text fw={700} ff="monospace" size="lg">
              {line.deviceEui}
            </Text>
            <Text size="sm">
              {line.deviceType} {line.model}
            </Text>
            <Text size="sm">
              {line.outcome ?? 'not triaged'}
              {line.grade ? ` · grade ${line.grade}` : ''}
              {line.vanilla ? ' · vanilla' : ''}
            </Text>
            {line.stockLocation && <Text size="sm">Stock: {line.stockLocation}</Text>}
          </Stack>
        </Group>
      </div>
    </Card>
  );
}
