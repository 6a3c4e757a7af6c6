import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Mantine's defaults, with a primary colour whose filled buttons keep WCAG AA contrast.
export const theme = createTheme({ primaryColor: 'indigo', primaryShade: 8, fontFamily: 'system-ui, sans-serif' });

// Mantine's "dimmed" text (gray 6, 3.3:1 on white) is below WCAG AA's 4.5:1 for body text: gray 7.
export const cssVariables: CSSVariablesResolver = (t) => ({ variables: {}, light: { '--mantine-color-dimmed': t.colors.gray[7]! }, dark: {} });
