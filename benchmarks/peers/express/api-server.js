// The Angular quickstart's Express backend ("api-server.js"), reproduced in its shape for the benchmark:
// morgan('dev') request logging, helmet, CORS for the SPA origin, and express-oauth2-jwt-bearer's auth()
// configured with the API audience and the issuer base URL, exactly as the quickstart does.
// Added for the benchmark only: /api/public, the same handler without checkJwt, as Express's own upper bound.
//
// Settings (environment): PORT (3001), AUDIENCE, ISSUER_BASE_URL, APP_URI (http://localhost:4200).
const express = require('express');
const cors = require('cors');
const morgan = require('morgan');
const helmet = require('helmet');
const { auth } = require('express-oauth2-jwt-bearer');

const port = Number(process.env.PORT || 3001);
const audience = process.env.AUDIENCE;
const issuerBaseURL = process.env.ISSUER_BASE_URL;
if (!audience || !issuerBaseURL) {
  console.error('AUDIENCE and ISSUER_BASE_URL must be set');
  process.exit(2);
}

const app = express();
app.use(morgan('dev'));
app.use(helmet());
app.use(cors({ origin: process.env.APP_URI || 'http://localhost:4200' }));

const checkJwt = auth({ audience, issuerBaseURL });

app.get('/api/external', checkJwt, (req, res) => {
  res.send({ msg: 'Your access token was successfully validated!' });
});

app.get('/api/public', (req, res) => {
  res.send({ msg: 'Hello from a public endpoint! You don\'t need to be authenticated to see this.' });
});

app.listen(port, '127.0.0.1', () => console.log(`Express peer listening on ${port}`));
