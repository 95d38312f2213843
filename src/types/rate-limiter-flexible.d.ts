// rate-limiter-flexible exports its store base class in its types but not from its entry point;
// the class itself lives at this path.
declare module 'rate-limiter-flexible/lib/RateLimiterStoreAbstract.js' {
  import { RateLimiterStoreAbstract } from 'rate-limiter-flexible';
  export default RateLimiterStoreAbstract;
}
