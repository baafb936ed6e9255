export { useHydrated } from '@/lib/hooks/use-hydrated';
